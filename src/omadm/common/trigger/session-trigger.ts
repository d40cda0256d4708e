import type { Logger } from '../../../core/logger.js';

/** DM 1.2/1.3 package 0's UI mode (DM 2.0's package 0 has none). */
export const UI_MODES = ['not-specified', 'background', 'informative', 'user-interaction'] as const;
export type UiMode = (typeof UI_MODES)[number];

/** How the proxy wakes a DM device (either version) that has no session open (DM_TRIGGER). */
export type TriggerSettings = { kind: 'none' } | { kind: 'webhook'; url: string; timeoutMs: number; uiMode: UiMode };
export type WebhookSettings = Extract<TriggerSettings, { kind: 'webhook' }>;

/** What came of waking a device: asked (or nothing to do), or why it cannot be woken. */
export type WakeOutcome = { ok: true } | { ok: false; reason: string };

export interface SessionTrigger {
  wake(devId: string): Promise<WakeOutcome>;
}

/** DM_TRIGGER=none: the device's next polling session brings the commands. */
export const NO_TRIGGER: SessionTrigger = { wake: async () => ({ ok: true }) };

/**
 * POSTs one notification as JSON to DM_TRIGGER_URL (the body always names `version` "1.3" or "2.0", `devId` and the
 * base64 `package0`), where a notification gateway turns it into a WAP push, SMS or other bearer. Anything but a 2xx
 * within the timeout is a failure.
 */
export async function postToWebhook(settings: WebhookSettings, body: { version: '1.3' | '2.0'; devId: string; package0: string } & Record<string, unknown>, logger: Logger): Promise<WakeOutcome> {
  try {
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
      redirect: 'error',
    });
    // The gateway's answer body says nothing the proxy uses: not read (a huge one would hold the request).
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { ok: true };
    return { ok: false, reason: `the session trigger webhook answered HTTP ${response.status}` };
  } catch (error) {
    logger.warn({ devId: body.devId, version: body.version, err: error }, 'DM session trigger webhook failed');
    return { ok: false, reason: `the session trigger webhook could not be reached (${(error as Error).message})` };
  }
}

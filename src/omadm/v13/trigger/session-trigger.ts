import { randomInt } from 'node:crypto';
import type { Logger } from '../../../core/logger.js';
import { type DmCredentialStore, dm13Record } from '../../../store/dm-credential-store.js';
import { PACKAGE0_VERSION, type UiMode, encodePackage0 } from './package0.js';

/** How the proxy wakes a DM device that has no session open (DM_TRIGGER). */
export type TriggerSettings = { kind: 'none' } | { kind: 'webhook'; url: string; timeoutMs: number; uiMode: UiMode };

/** What came of waking a device: asked (or nothing to do), or why it cannot be woken. */
export type WakeOutcome = { ok: true } | { ok: false; reason: string };

export interface SessionTrigger {
  wake(devId: string): Promise<WakeOutcome>;
}

/** DM_TRIGGER=none: the device's next polling session brings the commands. */
export const NO_TRIGGER: SessionTrigger = { wake: async () => ({ ok: true }) };

/**
 * DM_TRIGGER=webhook: builds the device's package 0 (over its server credentials and the nonce it gave the server) and
 * POSTs it with the DevId as JSON to DM_TRIGGER_URL, where a notification gateway turns it into a WAP push or SMS.
 * Anything but a 2xx within the timeout is a failure.
 */
export function webhookTrigger(settings: Extract<TriggerSettings, { kind: 'webhook' }>, credentials: DmCredentialStore, logger: Logger): SessionTrigger {
  return {
    async wake(devId) {
      const device = dm13Record(await credentials.get(devId));
      if (!device) return { ok: false, reason: `no credentials for "${devId}" to sign its notification with` };
      const sessionId = randomInt(1, 0x10000);
      const package0 = encodePackage0(
        { version: PACKAGE0_VERSION, uiMode: settings.uiMode, serverInitiated: true, sessionId },
        device.server,
        device.nonces.toServer,
      );
      const body = JSON.stringify({ devId, sessionId: sessionId.toString(16).toUpperCase(), uiMode: settings.uiMode, package0: package0.toString('base64') });
      try {
        const response = await fetch(settings.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(settings.timeoutMs),
          redirect: 'error',
        });
        // The gateway's answer body says nothing the proxy uses: not read (a huge one would hold the request).
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return { ok: true };
        return { ok: false, reason: `the session trigger webhook answered HTTP ${response.status}` };
      } catch (error) {
        logger.warn({ devId, err: error }, 'DM session trigger webhook failed');
        return { ok: false, reason: `the session trigger webhook could not be reached (${(error as Error).message})` };
      }
    },
  };
}

import { randomInt } from 'node:crypto';
import type { Logger } from '../../../core/logger.js';
import { type DmCredentialStore, dm13Record } from '../../../store/dm-credential-store.js';
import { type SessionTrigger, type WebhookSettings, postToWebhook } from '../../common/trigger/session-trigger.js';
import { PACKAGE0_VERSION, encodePackage0 } from './package0.js';

/**
 * DM_TRIGGER=webhook for DM 1.2/1.3 devices: builds the device's package 0 (over its server credentials and the nonce
 * it gave the server) and POSTs `{version: "1.3", devId, sessionId, uiMode, package0}` to DM_TRIGGER_URL.
 */
export function webhookTrigger(settings: WebhookSettings, credentials: DmCredentialStore, logger: Logger): SessionTrigger {
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
      return postToWebhook(settings, { version: '1.3', devId, sessionId: sessionId.toString(16).toUpperCase(), uiMode: settings.uiMode, package0: package0.toString('base64') }, logger);
    },
  };
}

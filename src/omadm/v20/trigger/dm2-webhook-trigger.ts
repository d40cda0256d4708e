import type { Logger } from '../../../core/logger.js';
import { type DmCredentialStore, dm2Record } from '../../../store/dm-credential-store.js';
import { type WakeOutcome, type WebhookSettings, postToWebhook } from '../../common/trigger/session-trigger.js';
import { DM2_PACKAGE0_VERSION, signDm2Package0 } from './package0.js';

/** Wakes a DM 2.0 device with a package 0 carrying this NOTIFICATION-ID (its ServerInitiatedMgmt alert echoes it). */
export interface Dm2SessionTrigger {
  wake(devId: string, notificationId: number): Promise<WakeOutcome>;
}

/**
 * DM_TRIGGER=webhook for DM 2.0 devices: package 0 with SERVER-ID, PREFERRED-CON-TYPE 0 (any), NOTIFICATION-ID,
 * SHA256-DIGEST over the device's `server.secret`, TIMESTAMP (now, against replay) and REQ-MOS (the device lists its
 * MOs in package 1, which publishes its node), POSTed as `{version: "2.0", devId, notificationId, package0}` to
 * DM_TRIGGER_URL. A device enrolled without a `server` part cannot be woken.
 */
export function dm2WebhookTrigger(settings: WebhookSettings, credentials: DmCredentialStore, logger: Logger, now: () => number = Date.now): Dm2SessionTrigger {
  return {
    async wake(devId, notificationId) {
      const device = dm2Record(await credentials.get(devId));
      if (device?.server === undefined) return { ok: false, reason: `no DM 2.0 server credentials ("server": {"id", "secret"}) for "${devId}" to sign its package 0 with` };
      const package0 = signDm2Package0(
        { version: DM2_PACKAGE0_VERSION, serverId: device.server.id, preferredConType: 0, notificationId, timestamp: Math.floor(now() / 1000), reqMos: true },
        { secret: device.server.secret },
      );
      return postToWebhook(settings, { version: '2.0', devId, notificationId, package0: package0.toString('base64') }, logger);
    },
  };
}

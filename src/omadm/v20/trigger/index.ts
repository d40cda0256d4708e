/**
 * Waking DM 2.0 devices. `Dm2Waker` is the omadm20 adapter's seam (RunningOmadm.dm2Waker): before it waits for a
 * device's session, the adapter calls `await dm2Waker.wake(devId)`; `{ok: true}` means a package 0 went to the
 * notification gateway (DM_TRIGGER=webhook), or nothing needed doing (a session is open, the device was woken less than
 * 30 s ago, DM_TRIGGER=none), so the adapter waits as usual (6021 when no session comes in time); `{ok: false, reason}`
 * means the device cannot be woken (no `server` credentials, webhook unreachable or non-2xx): answer 6020
 * MGMT_SESSION_CANNOT_BE_ESTABLISHED at once with the reason and withdraw the queued commands. Concurrent calls for one
 * device share one notification. The session engine calls `sessionOpened` itself on every package 1.
 */
export { Dm2Waker, type Dm2WakerDeps, type Dm2NotificationOutcome } from './dm2-waker.js';
export { type Dm2SessionTrigger, dm2WebhookTrigger } from './dm2-webhook-trigger.js';
export {
  DM2_PACKAGE0_OPTION, DM2_PACKAGE0_VERSION, type DecodedDm2Package0, type Dm2Notification, type Dm2NotificationSecret,
  decodeDm2Package0, dm2Package0Authentic, encodeDm2Package0, signDm2Package0,
} from './package0.js';

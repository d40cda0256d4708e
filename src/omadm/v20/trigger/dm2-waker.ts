import { randomInt } from 'node:crypto';
import type { Logger } from '../../../core/logger.js';
import { DeviceWaker } from '../../common/trigger/device-waker.js';
import type { WakeOutcome } from '../../common/trigger/session-trigger.js';
import type { Dm2SessionAlertKind } from '../codec/index.js';
import type { Dm2SessionTrigger } from './dm2-webhook-trigger.js';

/** NOTIFICATION-IDs awaited at most (one per device woken); the oldest are forgotten first. */
const MAX_AWAITED = 10_000;

/** What became of package 0s: handed to the gateway, failed, echoed by the session they opened, or not matched. */
export type Dm2NotificationOutcome = 'sent' | 'failed' | 'answered' | 'unmatched';

export interface Dm2WakerDeps {
  /** undefined: DM_TRIGGER=none (the device's next polling session takes the commands). */
  trigger: Dm2SessionTrigger | undefined;
  /** Whether the device is in a DM 2.0 session now (then it is not woken: the session takes the commands). */
  sessionOpen(devId: string): Promise<boolean>;
  logger: Logger;
  metrics?: { notification(outcome: Dm2NotificationOutcome): void };
  now?: () => number;
}

/**
 * Wakes DM 2.0 devices, with DM 1.3's DeviceWaker semantics: `wake(devId)` sends a package 0 only when the device has
 * no session open and was not woken a moment ago, and concurrent calls for one device share one notification; it
 * resolves `{ok: true}` once the notification was handed to the gateway (or DM_TRIGGER=none: nothing to do) or
 * `{ok: false, reason}` when it cannot be (no server credentials, webhook unreachable or non-2xx: the omadm20 adapter
 * answers 6020 MGMT_SESSION_CANNOT_BE_ESTABLISHED and withdraws the commands). `sessionOpened(devId, alert)` is called by
 * the session engine on every package 1: the next request wakes the device again, and a ServerInitiatedMgmt alert's
 * NOTIFICATION-ID is checked against the one sent (a mismatch is logged and counted, the session goes on).
 */
export class Dm2Waker {
  private readonly waker: DeviceWaker;
  /** The NOTIFICATION-ID of the last package 0 sent to each device, until its session opens. */
  private readonly awaited = new Map<string, number>();

  constructor(private readonly deps: Dm2WakerDeps) {
    this.waker = new DeviceWaker({ wake: (devId) => this.notify(devId) }, deps.sessionOpen, deps.now);
  }

  wake(devId: string): Promise<WakeOutcome> {
    return this.waker.wake(devId);
  }

  sessionOpened(devId: string, alert?: { kind: Dm2SessionAlertKind; notificationId?: number }): void {
    this.waker.sessionOpened(devId);
    if (alert?.kind !== 'serverInitiated') return;
    const awaited = this.awaited.get(devId);
    this.awaited.delete(devId);
    if (awaited !== undefined && awaited === alert.notificationId) {
      this.deps.metrics?.notification('answered');
      return;
    }
    this.deps.metrics?.notification('unmatched');
    this.deps.logger.warn({ devId, notificationId: alert.notificationId, awaited }, 'DM 2.0 server-initiated session names a NOTIFICATION-ID the proxy did not send it last');
  }

  private async notify(devId: string): Promise<WakeOutcome> {
    if (this.deps.trigger === undefined) return { ok: true };
    const notificationId = randomInt(1, 0x10000);
    // Remembered before the push: the device may open its session before the gateway answers.
    this.awaited.delete(devId);
    if (this.awaited.size >= MAX_AWAITED) this.awaited.delete(this.awaited.keys().next().value as string);
    this.awaited.set(devId, notificationId);
    const outcome = await this.deps.trigger.wake(devId, notificationId);
    this.deps.metrics?.notification(outcome.ok ? 'sent' : 'failed');
    if (!outcome.ok) this.awaited.delete(devId);
    return outcome;
  }
}

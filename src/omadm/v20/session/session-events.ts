import type { Dm2GenericAlert, Dm2Mo, Dm2Status } from '../codec/index.js';
import type { QueuedDm2Command } from './command-queue.js';

/**
 * What DM 2.0 sessions tell the part that queued commands (the omadm20 DeviceAdapter). Like DM 1.3's DmSessionEvents,
 * except an answer is one Status (paired with its command by position in package 3).
 */
export interface Dm2SessionEvents {
  /** Commands went out in a package 2 (after the session record naming them was stored). */
  commandsSent(devId: string, entries: readonly QueuedDm2Command[]): void;
  /** The session waits for a returned promise before it sends more commands: follow-ups queued meanwhile go out in the same session. */
  commandAnswered(devId: string, entry: QueuedDm2Command, status: Dm2Status): void | Promise<void>;
  /** A command sent that will never be answered (no Status for it, a new session replaced this one, the session went idle). */
  commandLost(devId: string, entry: QueuedDm2Command, reason: string): void;
  /** Commands dropped unsent from the queue: their deadline (`notAfter`) passed before a session took them. */
  commandsExpired(devId: string, entries: readonly QueuedDm2Command[]): void;
  /**
   * A Generic Alert of package 1 or 3 (the session waits for a returned promise). `reportToken`: the package 1 came to
   * the report URI of an EXEC (`reportUri`), the alert reports its result.
   */
  genericAlert(devId: string, alert: Dm2GenericAlert, reportToken?: string): void | Promise<void>;
  /**
   * The session published the device's node after package 1 (with the MOs it listed). The session waits for a
   * returned promise before it sends the queued commands: what it queues goes out in this session.
   */
  devicePublished?(devId: string, mos: readonly Dm2Mo[]): void | Promise<void>;
}

/** Events that go nowhere (until the omadm20 adapter takes them): commands sent are never answered to anyone. */
export const NO_DM2_EVENTS: Dm2SessionEvents = {
  commandsSent: () => undefined,
  commandAnswered: () => undefined,
  commandLost: () => undefined,
  commandsExpired: () => undefined,
  genericAlert: () => undefined,
};

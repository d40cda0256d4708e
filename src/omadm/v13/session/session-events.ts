import type { Alert, Results, Status } from '../codec/index.js';
import type { QueuedDmCommand } from './command-queue.js';

/** The device's answer to one sent command: every Status naming it (one per Item, inner commands of a group too) and its Results. */
export interface DmCommandAnswer {
  statuses: Status[];
  results: Results[];
  /** The CmdIDs the command got when sent, in document order (a group first, then its inner commands). */
  cmdIds: string[];
}

/**
 * What sessions tell the part that queued commands (the DM adapter): answers to sent commands, commands
 * sent that will never be answered (the session ended, was aborted or went idle), and Generic Alerts (already answered
 * 200 to the device).
 */
export interface DmSessionEvents {
  /** Commands went out in a message to the device (after the session record naming them was stored). */
  commandsSent(devId: string, entries: readonly QueuedDmCommand[]): void;
  /** The session waits for a returned promise before it sends more commands: follow-up commands go out in the same session. */
  commandAnswered(devId: string, entry: QueuedDmCommand, answer: DmCommandAnswer): void | Promise<void>;
  commandLost(devId: string, entry: QueuedDmCommand, reason: string): void;
  /** Commands dropped unsent from the queue: their request's deadline (`notAfter`) passed before a session took them. */
  commandsExpired(devId: string, entries: readonly QueuedDmCommand[]): void;
  /**
   * Whether a command the device refused to run (it refused the server's Cred) is still wanted: put back in the queue
   * when it is, reported lost when not (its request ended meanwhile). Absent: always wanted.
   */
  stillWanted?(devId: string, entry: QueuedDmCommand): boolean;
  /** As commandAnswered, the session waits for a returned promise before it sends more commands. */
  genericAlert(devId: string, alert: Alert): void | Promise<void>;
  /**
   * The session published the device's node (after its package 1). The session waits for a returned promise before
   * it sends the queued commands: what it queues (a read of the SCOMO inventory) goes out in this session.
   */
  devicePublished?(devId: string): void | Promise<void>;
}

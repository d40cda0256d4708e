import type { CommandGroup, Exec, ItemCommand } from '../codec/index.js';
import { CommandQueue, type CommandToQueue, type QueuedCommand } from '../../common/command-queue.js';

export { QueueFullError } from '../../common/command-queue.js';

/** A management command the server may send in package 2 or later: CmdIDs are given when it is sent. */
export type DmServerCommand = ItemCommand | Exec | CommandGroup;

/** A SyncML command waiting for the device's next session. */
export type QueuedDmCommand = QueuedCommand<DmServerCommand>;

/** A SyncML command to queue, with its optional deadline and key. */

/** The DM 1.2/1.3 devices' queues: the session drains them as far as the device's MaxMsgSize allows. */
export class DmCommandQueue extends CommandQueue<DmServerCommand> {}

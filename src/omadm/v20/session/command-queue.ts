import { CommandQueue, type CommandToQueue, type QueuedCommand } from '../../common/command-queue.js';
import type { Dm2Command } from '../codec/index.js';

/** A DM 2.0 command waiting for the device's next session. */
export type QueuedDm2Command = QueuedCommand<Dm2Command>;

export type Dm2CommandToQueue = CommandToQueue<Dm2Command>;

/**
 * The DM 2.0 devices' queues (kept in the store): the session sends every waiting command in its next package 2, in
 * order. Arguments may be:
 * - a server-relative URL (starting with `/`, e.g. a repository path from DataRepository.offer/expect): sent absolute,
 *   with the scheme, host and port the device reached the proxy at;
 * - SESSION_URI (`{session}`): sent as this session's own URL (`<DM2_PATH>?s=<token>`), e.g. `['CONT', SESSION_URI]`.
 * Check a command with dm2CommandProblems before queueing it.
 */
export class Dm2CommandQueue extends CommandQueue<Dm2Command> {}

/** An argument replaced by the session's own URL when the command is sent. */
export const SESSION_URI = '{session}';

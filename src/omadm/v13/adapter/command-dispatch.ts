import type { Logger } from '../../../core/logger.js';
import { type CommandOutcome as Outcome, CommandDispatch as Dispatch, type SessionWaker } from '../../common/command-dispatch.js';
import type { DmCommandQueue, DmServerCommand, QueuedDmCommand } from '../session/command-queue.js';
import type { DmCommandAnswer, DmSessionEvents } from '../session/session-events.js';

export { callKey } from '../../common/command-dispatch.js';

export type CommandOutcome = Outcome<DmCommandAnswer>;

/** The shared dispatch over SyncML commands, with the DM 1.2/1.3 session events it listens to. */
export class CommandDispatch extends Dispatch<DmServerCommand, DmCommandAnswer> {
  constructor(queue: DmCommandQueue, waker: SessionWaker, sentInSession: (devId: string) => Promise<readonly QueuedDmCommand[]>, logger: Logger) {
    super(queue, waker, sentInSession, logger, (answer) => answer.statuses.map((status) => status.data));
  }

  /** The session events this dispatch listens to (Generic Alerts go to `onAlert`). */
  sessionEvents(onAlert: DmSessionEvents['genericAlert']): DmSessionEvents {
    return {
      commandsSent: (devId, entries) => this.commandsSent(devId, entries),
      commandAnswered: (devId, entry, answer) => this.commandAnswered(devId, entry, answer),
      commandLost: (devId, entry, reason) => this.commandLost(devId, entry, reason),
      commandsExpired: (devId, entries) => this.commandsExpired(devId, entries),
      stillWanted: (devId, entry) => this.stillWanted(devId, entry),
      genericAlert: onAlert,
    };
  }
}

import type { Logger } from '../../../core/logger.js';
import { type CommandOutcome, CommandDispatch, type SessionWaker } from '../../common/command-dispatch.js';
import type { Dm2Command, Dm2Status } from '../codec/index.js';
import type { Dm2CommandQueue, Dm2SessionEvents, QueuedDm2Command } from '../session/index.js';

export type Dm2Outcome = CommandOutcome<Dm2Status>;

/** The shared dispatch over DM 2.0 commands (an answer is the one Status paired with the command by position). */
export class Dm2Dispatch extends CommandDispatch<Dm2Command, Dm2Status> {
  constructor(queue: Dm2CommandQueue, waker: SessionWaker, sentInSession: (devId: string) => Promise<readonly QueuedDm2Command[]>, logger: Logger) {
    super(queue, waker, sentInSession, logger, (status) => status.sc);
  }

  /** The session events this dispatch listens to (Generic Alerts go to `onAlert`). */
  sessionEvents(onAlert: Dm2SessionEvents['genericAlert']): Dm2SessionEvents {
    return {
      commandsSent: (devId, entries) => this.commandsSent(devId, entries),
      commandAnswered: (devId, entry, status) => this.commandAnswered(devId, entry, status),
      commandLost: (devId, entry, reason) => this.commandLost(devId, entry, reason),
      commandsExpired: (devId, entries) => this.commandsExpired(devId, entries),
      genericAlert: onAlert,
    };
  }
}

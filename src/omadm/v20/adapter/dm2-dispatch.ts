import type { Logger } from '../../../core/logger.js';
import { type CommandOutcome, CommandDispatch, type SessionWaker } from '../../common/command-dispatch.js';
import type { Dm2Command, Dm2Status } from '../codec/index.js';
import type { Dm2CommandQueue, Dm2SessionEvents, QueuedDm2Command } from '../session/index.js';

export type Dm2Outcome = CommandOutcome<Dm2Status>;

/** The longest a session waits for a follow-up command after an answer that calls for one (a safety net: callers release). */
const MAX_FOLLOW_UP_HOLD_MS = 5_000;

interface FollowUp {
  wanted(status: Dm2Status): boolean;
  release?: () => void;
}

/** The shared dispatch over DM 2.0 commands (an answer is the one Status paired with the command by position). */
export class Dm2Dispatch extends CommandDispatch<Dm2Command, Dm2Status> {
  /** By queued command id: answers after which the session waits until the caller has queued its follow-up. */
  private readonly followUps = new Map<string, FollowUp>();

  constructor(queue: Dm2CommandQueue, waker: SessionWaker, sentInSession: (devId: string) => Promise<readonly QueuedDm2Command[]>, logger: Logger) {
    super(queue, waker, sentInSession, logger, (status) => status.sc);
  }

  /**
   * When the command `entryId` is answered with a status `wanted` accepts, the session sends nothing more until
   * `releaseFollowUp(entryId)`: a follow-up queued meanwhile (a retry another way) goes out in the same session.
   */
  holdForFollowUp(entryId: string, wanted: (status: Dm2Status) => boolean): void {
    this.followUps.set(entryId, { wanted });
  }

  releaseFollowUp(entryId: string): void {
    const followUp = this.followUps.get(entryId);
    this.followUps.delete(entryId);
    followUp?.release?.();
  }

  /** The session events this dispatch listens to (Generic Alerts go to `onAlert`). */
  sessionEvents(onAlert: Dm2SessionEvents['genericAlert']): Dm2SessionEvents {
    return {
      commandsSent: (devId, entries) => this.commandsSent(devId, entries),
      commandAnswered: (devId, entry, status) => {
        const held = this.stillWanted(devId, entry) ? this.hold(entry.id, status) : undefined;
        if (held === undefined) this.followUps.delete(entry.id);
        this.commandAnswered(devId, entry, status);
        return held;
      },
      commandLost: (devId, entry, reason) => {
        this.followUps.delete(entry.id);
        this.commandLost(devId, entry, reason);
      },
      commandsExpired: (devId, entries) => {
        for (const entry of entries) this.followUps.delete(entry.id);
        this.commandsExpired(devId, entries);
      },
      genericAlert: onAlert,
    };
  }

  private hold(entryId: string, status: Dm2Status): Promise<void> | undefined {
    const followUp = this.followUps.get(entryId);
    if (followUp === undefined || !followUp.wanted(status)) return undefined;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.releaseFollowUp(entryId), MAX_FOLLOW_UP_HOLD_MS);
      timer.unref();
      followUp.release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

import type { DeviceCallContext } from '../../core/device-adapter.js';
import type { Logger } from '../../core/logger.js';
import { type CommandQueue, type QueuedCommand, QueueFullError } from './command-queue.js';

/**
 * What became of a queued command: answered (A: the protocol version's answer), sent but never answered, never sent
 * (withdrawn at the call's end), or withdrawn at once because the device could not be woken.
 */
export type CommandOutcome<A> = { answer: A } | { lost: string } | { unsent: true } | { unreachable: string } | { queueFull: string };

/** Wakes a device without a session open (the session trigger of DM 1.3; DM 2.0's package 0). */
export interface SessionWaker {
  wake(devId: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The device opened a session. */
  sessionOpened(devId: string): void;
}

/** The queue key of one call: the same request (originator and request id) about the same thing gives the same key. */
export function callKey(ctx: DeviceCallContext, operation: string, subject: string): string {
  return JSON.stringify([ctx.originator, ctx.requestId, operation, subject]);
}

interface Waiter<A> {
  settle(outcome: CommandOutcome<A>): void;
  sent(): void;
}

/**
 * Queues a call's commands for the device's next session and pairs the session's events with the calls waiting for
 * them (C: the command type, A: the answer type of the protocol version). A call whose signal aborts takes its commands
 * back if no session took them yet, and stops waiting for the ones sent (a late answer is only logged). The session
 * events of the protocol version call the handlers below.
 */
export class CommandDispatch<C, A> {
  private readonly waiters = new Map<string, Waiter<A>>();

  constructor(
    private readonly queue: CommandQueue<C>,
    private readonly waker: SessionWaker,
    /** The commands the device's open session sent and awaits answers to. */
    private readonly sentInSession: (devId: string) => Promise<readonly QueuedCommand<C>[]>,
    private readonly logger: Logger,
    /** What a late answer's log line shows of it (its codes). */
    private readonly describe: (answer: A) => unknown,
  ) {}

  commandsSent(devId: string, entries: readonly QueuedCommand<C>[]): void {
    this.waker.sessionOpened(devId);
    for (const entry of entries) this.waiters.get(entry.id)?.sent();
  }

  commandAnswered(devId: string, entry: QueuedCommand<C>, answer: A): void {
    const waiter = this.waiters.get(entry.id);
    if (waiter) waiter.settle({ answer });
    else this.logger.info({ devId, command: entry.id, codes: this.describe(answer) }, 'DM command answered after its request ended');
  }

  commandLost(devId: string, entry: QueuedCommand<C>, reason: string): void {
    const waiter = this.waiters.get(entry.id);
    if (waiter) waiter.settle({ lost: reason });
    else this.logger.warn({ devId, command: entry.id, reason }, 'DM command never answered');
  }

  commandsExpired(_devId: string, entries: readonly QueuedCommand<C>[]): void {
    for (const entry of entries) this.waiters.get(entry.id)?.settle({ unsent: true });
  }

  stillWanted(_devId: string, entry: QueuedCommand<C>): boolean {
    return this.waiters.has(entry.id);
  }

  /** Number of calls waiting for a device's answer. */
  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * Queues the commands (in order, with the call's deadline), wakes the device when it has no session open, and
   * resolves with the outcome of each; `queued` gets the entries once they wait. `key` (unique per request) lets a
   * request rerun after a restart take over what it queued or what its device's open session already sent, instead of
   * sending it twice; an entry another live call waits for is never taken over.
   */
  async send(devId: string, commands: readonly C[], ctx: DeviceCallContext, key: string, queued?: (entries: QueuedCommand<C>[]) => void): Promise<CommandOutcome<A>[]> {
    if (ctx.signal.aborted) return commands.map(() => ({ unsent: true }));
    const free = (entry: QueuedCommand<C>) => !this.waiters.has(entry.id);
    const wanted = commands.map((command, index) => ({ command, notAfter: ctx.deadline, key: `${key}#${index}` }));
    const inSession = (await this.sentInSession(devId)).filter(free);
    const sent = new Map(wanted.flatMap((entry) => inSession.filter((other) => other.key === entry.key).map((other) => [entry.key, other] as const)));
    let entries: QueuedCommand<C>[];
    try {
      const toQueue = wanted.filter((entry) => !sent.has(entry.key));
      const fresh = toQueue.length > 0 ? await this.queue.enqueueAll(devId, toQueue, free) : [];
      entries = wanted.map((entry) => sent.get(entry.key) ?? (fresh.shift() as QueuedCommand<C>));
    } catch (error) {
      if (error instanceof QueueFullError) return commands.map(() => ({ queueFull: error.message }));
      throw error;
    }
    const outcomes = this.outcomes(devId, entries, ctx);
    queued?.(entries);
    const woken = await this.waker.wake(devId);
    if (!woken.ok) await this.withdraw(devId, entries, { unreachable: woken.reason });
    return outcomes;
  }

  /** Takes back the commands no session took yet; they end with `outcome` (those already sent go on waiting). */
  private async withdraw(devId: string, entries: readonly QueuedCommand<C>[], outcome: CommandOutcome<A>): Promise<void> {
    const withdrawn = await this.queue.remove(devId, entries.map((entry) => entry.id));
    for (const id of withdrawn) this.waiters.get(id)?.settle(outcome);
  }

  private outcomes(devId: string, entries: readonly QueuedCommand<C>[], ctx: DeviceCallContext): Promise<CommandOutcome<A>[]> {
    const outcomes = new Map<string, CommandOutcome<A>>();
    return new Promise((resolve) => {
      let reportedSent = false;
      const finish = () => {
        if (outcomes.size < entries.length) return;
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(entries.map((entry) => outcomes.get(entry.id) as CommandOutcome<A>));
      };
      const settle = (id: string, outcome: CommandOutcome<A>) => {
        if (!this.waiters.delete(id)) return;
        outcomes.set(id, outcome);
        finish();
      };
      const onAbort = () => {
        const open = entries.filter((entry) => this.waiters.has(entry.id)).map((entry) => entry.id);
        this.queue.remove(devId, open).then(
          (withdrawn) => {
            // A session takes commands out of the queue before they leave: those not in it any more were sent.
            for (const id of open) settle(id, withdrawn.includes(id) ? { unsent: true } : { lost: 'no answer came before the request ended' });
          },
          (error: unknown) => {
            this.logger.error({ err: error, devId }, 'withdrawing queued DM commands failed');
            for (const id of open) settle(id, { lost: 'withdrawing the commands failed' });
          },
        );
      };
      for (const entry of entries) {
        this.waiters.set(entry.id, {
          settle: (outcome) => settle(entry.id, outcome),
          sent: () => {
            if (reportedSent) return;
            reportedSent = true;
            ctx.progress({ state: 'sent' });
          },
        });
      }
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

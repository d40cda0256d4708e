import { setTimeoutAt, type LongTimer } from '../../core/long-timer.js';
import { OperationEnded, type EndReason } from '../../core/operation-end.js';

/**
 * The AbortSignal of one operation's device work: it aborts when the deadline passes, on withdrawal, at shutdown and,
 * while a client is attached (blocking requests), when that client goes away.
 */
export class OperationLifetime {
  private readonly controller = new AbortController();
  private timer?: LongTimer;
  private detachClient?: () => void;

  constructor(private currentDeadline: number) {
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get deadline(): number {
    return this.currentDeadline;
  }

  get endReason(): EndReason | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof OperationEnded ? reason.reason : undefined;
  }

  /** Moves the deadline (an accepted operation waits for its terminal state until then). */
  extend(deadline: number): void {
    if (this.signal.aborted) return;
    this.currentDeadline = deadline;
    this.arm();
  }

  /** Ends the operation when `client` aborts, until detached. */
  attachClient(client: AbortSignal): void {
    if (client.aborted) return this.end('client-gone');
    const onAbort = () => this.end('client-gone');
    client.addEventListener('abort', onAbort, { once: true });
    this.detachClient = () => client.removeEventListener('abort', onAbort);
  }

  /** The client's answer went (or the request became non-blocking): its going away no longer ends the work. */
  releaseClient(): void {
    this.detachClient?.();
    this.detachClient = undefined;
  }

  end(reason: EndReason): void {
    if (this.signal.aborted) return;
    this.dispose();
    this.controller.abort(new OperationEnded(reason));
  }

  /** Stops the timer and the client watch (the operation finished). */
  dispose(): void {
    this.timer?.clear();
    this.releaseClient();
  }

  private arm(): void {
    this.timer?.clear();
    this.timer = setTimeoutAt(this.currentDeadline, () => this.end('deadline'));
  }
}

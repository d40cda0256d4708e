import type { ServerResponse } from 'node:http';
import { setLongTimeout } from '../../core/long-timer.js';

/**
 * Requests being answered, each with an AbortSignal that fires when its client disconnects before the
 * answer or when shutdown gives up waiting for it.
 */
export class InFlightRequests {
  private readonly controllers = new Set<AbortController>();
  private readonly signals = new WeakMap<ServerResponse, AbortSignal>();
  private readonly idleWaiters = new Set<() => void>();

  get size(): number {
    return this.controllers.size;
  }

  /** Tracks the request until its response closes (sent or connection lost). */
  track(res: ServerResponse): void {
    const controller = new AbortController();
    this.controllers.add(controller);
    this.signals.set(res, controller.signal);
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected before the response'));
      this.controllers.delete(controller);
      if (this.controllers.size === 0) for (const wake of this.idleWaiters) wake();
    });
  }

  signalOf(res: ServerResponse): AbortSignal {
    const signal = this.signals.get(res);
    if (signal === undefined) throw new Error('response is not tracked');
    return signal;
  }

  /** Resolves true once nothing is in flight, false if `timeoutMs` passes first. */
  waitUntilIdle(timeoutMs: number): Promise<boolean> {
    if (this.controllers.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (idle: boolean) => {
        timer.clear();
        this.idleWaiters.delete(wake);
        resolve(idle);
      };
      const wake = () => finish(true);
      const timer = setLongTimeout(() => finish(false), timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  abortAll(reason: Error): void {
    for (const controller of this.controllers) controller.abort(reason);
  }
}

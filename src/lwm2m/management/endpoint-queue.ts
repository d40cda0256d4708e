import { setTimeoutAt } from '../../core/long-timer.js';
import { endedByDeadline } from '../../core/operation-end.js';
import { CoapTimeoutError } from '../downlink.js';
import { DeviceSleepingError } from './errors.js';

/** Decides whether requests to an endpoint may go out now (queue mode: only while the device is awake). */
export interface QueueGate {
  isOpen(endpoint: string): boolean;
}

export interface QueueLimits {
  /** Absolute deadline, epoch ms: a request still waiting then is dropped, never sent late. */
  deadline: number;
  signal: AbortSignal;
}

interface Waiting {
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

interface EndpointState {
  busy: boolean;
  waiting: Waiting[];
}

/**
 * One request at a time per endpoint (CoAP NSTART = 1), first in first out; endpoints are independent.
 * A waiting request leaves the queue when its deadline passes or its signal aborts.
 */
export class EndpointQueues {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(private readonly gate: QueueGate) {}

  run<T>(endpoint: string, task: () => Promise<T>, limits: QueueLimits): Promise<T> {
    if (limits.signal.aborted) return Promise.reject(limits.signal.reason);
    if (limits.deadline <= Date.now()) return Promise.reject(this.expired(endpoint, false));
    const state = this.state(endpoint);
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = { task, resolve: resolve as (value: unknown) => void, reject, detach: () => {} };
      const leave = (error: unknown) => {
        const index = state.waiting.indexOf(entry);
        if (index < 0) return;
        state.waiting.splice(index, 1);
        entry.detach();
        reject(error);
        this.pump(endpoint);
      };
      const timer = setTimeoutAt(limits.deadline, () => leave(this.expired(endpoint, true)));
      // an abort at the deadline is the request expiring in the queue
      const onAbort = () => leave(endedByDeadline(limits.signal) ? this.expired(endpoint, true) : limits.signal.reason);
      limits.signal.addEventListener('abort', onAbort, { once: true });
      entry.detach = () => {
        timer.clear();
        limits.signal.removeEventListener('abort', onAbort);
      };
      state.waiting.push(entry);
      this.pump(endpoint);
    });
  }

  /** The gate may have opened for this endpoint (the device woke up). */
  wake(endpoint: string): void {
    this.pump(endpoint);
  }

  /** Fails every request still waiting for this endpoint (its registration is gone); the one in flight completes on its own. */
  rejectWaiting(endpoint: string, error: Error): void {
    const state = this.endpoints.get(endpoint);
    if (!state) return;
    for (const entry of state.waiting.splice(0)) {
      entry.detach();
      entry.reject(error);
    }
    this.pump(endpoint);
  }

  /** Requests waiting (not in flight) for an endpoint. */
  waitingCount(endpoint: string): number {
    return this.endpoints.get(endpoint)?.waiting.length ?? 0;
  }

  /** Requests waiting (not in flight) for any endpoint. */
  totalWaiting(): number {
    let total = 0;
    for (const state of this.endpoints.values()) total += state.waiting.length;
    return total;
  }

  private state(endpoint: string): EndpointState {
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { busy: false, waiting: [] };
      this.endpoints.set(endpoint, state);
    }
    return state;
  }

  /** Why a request leaves unsent at its deadline; `waited`: it had been queued behind others (else it came too late). */
  private expired(endpoint: string, waited: boolean): Error {
    if (!this.gate.isOpen(endpoint)) return new DeviceSleepingError('deadline passed while the queue-mode device was asleep; the request was dropped unsent');
    return new CoapTimeoutError(
      waited ? 'deadline passed while waiting for earlier requests to the same endpoint; the request was dropped unsent' : "the request's deadline had passed before this step was sent",
    );
  }

  private pump(endpoint: string): void {
    const state = this.endpoints.get(endpoint);
    if (!state || state.busy) return;
    const head = state.waiting[0];
    if (!head) {
      this.endpoints.delete(endpoint);
      return;
    }
    if (!this.gate.isOpen(endpoint)) return;
    state.waiting.shift();
    head.detach();
    state.busy = true;
    Promise.resolve()
      .then(head.task)
      .then(head.resolve, head.reject)
      .finally(() => {
        state.busy = false;
        this.pump(endpoint);
      });
  }
}

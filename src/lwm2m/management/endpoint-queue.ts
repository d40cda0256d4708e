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

/** What a caller joining a shared request hears of it. */
export interface ShareHooks<T> {
  /** The request left the queue (was sent) with this caller among its callers. */
  started(): void;
  /** The caller's own copy of the value (every caller but one gets a copy). */
  copy(value: T): T;
  /** The caller joined a request already waiting (it sends nothing of its own). */
  joined(): void;
}

/** One caller of a queued request: several when identical reads share one request. */
interface Caller {
  limits: QueueLimits;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  detach: () => void;
  started?: () => void;
}

interface Entry {
  task: (limits: QueueLimits) => Promise<unknown>;
  callers: Caller[];
  /** Identical requests with this key may join the entry while it waits. */
  shareKey?: string;
  copy?: (value: unknown) => unknown;
  /** Set once a shared entry is sent: aborts when every caller has left. */
  inFlight?: AbortController;
}

interface EndpointState {
  busy: boolean;
  waiting: Entry[];
  /** Waiting shareable entries by key; emptied when a request that is not shareable queues behind them. */
  joinable: Map<string, Entry>;
}

/**
 * One request at a time per endpoint (CoAP NSTART = 1), first in first out; endpoints are independent.
 * A waiting request leaves the queue when its deadline passes or its signal aborts.
 * Identical reads (`share`) that wait with no other kind of request queued between them go out as one request: each
 * caller's value is still read after the caller asked for it, and no write is overtaken.
 */
export class EndpointQueues {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(private readonly gate: QueueGate) {}

  run<T>(endpoint: string, task: () => Promise<T>, limits: QueueLimits): Promise<T> {
    return this.enqueue(endpoint, limits, undefined, () => ({ task: () => task(), callers: [] }));
  }

  /**
   * Like `run`, for a request identical to any other with the same `key`: joins such a request still waiting (none
   * other queued behind it), else queues a new one. `task` gets the limits to send under: a joined request lasts until
   * its last caller's deadline and is cancelled only when every caller has left; a caller leaving earlier is answered
   * on its own at its deadline or abort.
   */
  share<T>(endpoint: string, key: string, task: (limits: QueueLimits) => Promise<T>, limits: QueueLimits, hooks: ShareHooks<T>): Promise<T> {
    return this.enqueue(endpoint, limits, hooks, (state) => {
      const waiting = state.joinable.get(key);
      if (waiting) {
        hooks.joined();
        return waiting;
      }
      const entry: Entry = { task, callers: [], shareKey: key, copy: hooks.copy as (value: unknown) => unknown };
      return entry;
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
    state.joinable.clear();
    for (const entry of state.waiting.splice(0)) {
      for (const caller of entry.callers.splice(0)) {
        caller.detach();
        caller.reject(error);
      }
    }
    this.pump(endpoint);
  }

  /** Requests waiting (not in flight) for an endpoint, each caller of a shared read counted. */
  waitingCount(endpoint: string): number {
    return callerCount(this.endpoints.get(endpoint)?.waiting ?? []);
  }

  /** Requests waiting (not in flight) for any endpoint. */
  totalWaiting(): number {
    let total = 0;
    for (const state of this.endpoints.values()) total += callerCount(state.waiting);
    return total;
  }

  /** Adds a caller to the entry `pick` chooses (a new one is queued, a waiting one joined). */
  private enqueue<T>(endpoint: string, limits: QueueLimits, hooks: ShareHooks<T> | undefined, pick: (state: EndpointState) => Entry): Promise<T> {
    if (limits.signal.aborted) return Promise.reject(limits.signal.reason);
    if (limits.deadline <= Date.now()) return Promise.reject(this.expired(endpoint, false));
    const state = this.state(endpoint);
    const entry = pick(state);
    return new Promise<T>((resolve, reject) => {
      const caller: Caller = { limits, resolve: resolve as (value: unknown) => void, reject, detach: () => {}, ...(hooks ? { started: hooks.started } : {}) };
      entry.callers.push(caller);
      // the common case, an idle device: sent at once, with no timer or listener to set up and clear
      if (entry.callers.length === 1 && !state.busy && state.waiting.length === 0 && this.gate.isOpen(endpoint)) return this.start(endpoint, state, entry);
      this.watch(endpoint, state, entry, caller);
      if (entry.callers.length === 1) this.push(state, entry);
      this.pump(endpoint);
    });
  }

  /** A waiting caller leaves at its deadline or when its signal aborts. */
  private watch(endpoint: string, state: EndpointState, entry: Entry, caller: Caller): void {
    const { limits } = caller;
    const timer = setTimeoutAt(limits.deadline, () => this.leave(endpoint, state, entry, caller, this.expired(endpoint, true)));
    // an abort at the deadline is the request expiring in the queue
    const onAbort = () => this.leave(endpoint, state, entry, caller, endedByDeadline(limits.signal) ? this.expired(endpoint, true) : limits.signal.reason);
    limits.signal.addEventListener('abort', onAbort, { once: true });
    caller.detach = () => {
      timer.clear();
      limits.signal.removeEventListener('abort', onAbort);
    };
  }

  private push(state: EndpointState, entry: Entry): void {
    state.waiting.push(entry);
    if (entry.shareKey === undefined) state.joinable.clear();
    else state.joinable.set(entry.shareKey, entry);
  }

  /** A caller leaves before its answer: a waiting entry without callers leaves the queue, a sent one is cancelled. */
  private leave(endpoint: string, state: EndpointState, entry: Entry, caller: Caller, error: unknown): void {
    const index = entry.callers.indexOf(caller);
    if (index < 0) return;
    entry.callers.splice(index, 1);
    caller.detach();
    if (entry.inFlight) {
      caller.reject(this.unanswered(caller.limits.signal, error));
      if (entry.callers.length === 0) entry.inFlight.abort(new CoapTimeoutError('every request sharing this read has left'));
      return;
    }
    caller.reject(error);
    if (entry.callers.length > 0) return;
    state.waiting.splice(state.waiting.indexOf(entry), 1);
    if (entry.shareKey !== undefined && state.joinable.get(entry.shareKey) === entry) state.joinable.delete(entry.shareKey);
    this.pump(endpoint);
  }

  private state(endpoint: string): EndpointState {
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { busy: false, waiting: [], joinable: new Map() };
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

  /** Why a caller of a shared read in flight leaves without its answer. */
  private unanswered(signal: AbortSignal, error: unknown): unknown {
    if (signal.aborted && !endedByDeadline(signal)) return signal.reason;
    return new CoapTimeoutError('deadline passed while the read this request shares with others was in flight');
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
    if (head.shareKey !== undefined && state.joinable.get(head.shareKey) === head) state.joinable.delete(head.shareKey);
    this.start(endpoint, state, head);
  }

  private start(endpoint: string, state: EndpointState, entry: Entry): void {
    state.busy = true;
    const limits = this.sendLimits(entry);
    for (const caller of entry.callers) caller.started?.();
    Promise.resolve()
      .then(() => entry.task(limits))
      .then(
        (value) => entry.callers.splice(0).forEach((caller, index) => {
          caller.detach();
          caller.resolve(index === 0 || !entry.copy ? value : entry.copy(value));
        }),
        (error: unknown) => entry.callers.splice(0).forEach((caller) => {
          caller.detach();
          caller.reject(error);
        }),
      )
      .finally(() => {
        state.busy = false;
        this.pump(endpoint);
      });
  }

  /** A lone caller's request goes out under its own limits; a shared one until its last caller's deadline, while any caller stays. */
  private sendLimits(entry: Entry): QueueLimits {
    if (entry.callers.length === 1) {
      const only = entry.callers[0];
      only.detach();
      return only.limits;
    }
    entry.inFlight = new AbortController();
    return { deadline: Math.max(...entry.callers.map((caller) => caller.limits.deadline)), signal: entry.inFlight.signal };
  }
}

function callerCount(entries: readonly Entry[]): number {
  let total = 0;
  for (const entry of entries) total += entry.callers.length;
  return total;
}

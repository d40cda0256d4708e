import { randomUUID } from 'node:crypto';
import type { Counter, Registry } from 'prom-client';
import { NOTIFY_BACKOFF_CAP_MS } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { setTimeoutAt, type LongTimer } from '../../core/long-timer.js';
import type { PendingNotification } from '../../store/pending-operation-store.js';
import { oneM2MTimestamp } from '../resources/onem2m-time.js';
import { notifyTarget } from './notify-target.js';
import { postNotify } from './notify-post.js';
import { resultNotificationCounter } from './result-notification-metrics.js';

export type { PendingNotification };

export interface ResultDeliveryDeps {
  /** X-M2M-Origin of every notification: the proxy's SP-relative CSE-ID, e.g. `/id-proxy`. */
  originator: string;
  /** Attempts after the first (NOTIFY_RETRIES). */
  retries: number;
  /** Wait before the first retry (NOTIFY_BACKOFF_MS), doubled for each next one up to NOTIFY_BACKOFF_CAP_MS. */
  backoffMs: number;
  /** Longest wait for a receiver's answer, per HTTP attempt. */
  attemptTimeoutMs: number;
  logger: Logger;
  metrics: Registry;
}

/** X-M2M-RVI when the result carries none: the release whose TS-0004 the proxy follows. */
const RELEASE_VERSION = '3';

/**
 * Sends the final response of a non-blocking asynchronous request (rt=2) to its `X-M2M-RTU` targets as a oneM2M
 * Notify on the HTTP binding: `POST`, `Content-Type: application/json` without `ty`, body `{"m2m:rsp": rsp}` (as ACME
 * sends it), retried with exponential backoff. Findings behind this shape: briefs/findings-onem2m.md §a.
 */
export class ResultDelivery {
  private readonly closing = new AbortController();
  private readonly waits = new Set<() => void>();
  private readonly outcomes: Counter<'outcome'>;

  constructor(private readonly deps: ResultDeliveryDeps) {
    this.outcomes = resultNotificationCounter(deps.metrics);
  }

  /**
   * Delivers `rsp` (the m2m:rsp content: rsc, rqi, pc, to, fr, rvi...) to state.targets: first attempt at
   * state.nextAttemptAt (now if past), failed targets retried with backoff until `retries` retries are used; after each
   * attempt `saved(state)` is awaited with the targets still undelivered (empty = done). Resolves when all are
   * delivered or given up, or at close() (after close() it does nothing). Targets this proxy cannot reach (not
   * http: or https:) are given up at once, and saved() then sees the list without them before any attempt.
   */
  async deliver(rsp: Record<string, unknown>, state: PendingNotification, saved: (state: PendingNotification) => Promise<void>): Promise<void> {
    if (this.closed) return;
    const body = JSON.stringify({ 'm2m:rsp': rsp });
    const rqi = rsp.rqi;
    let { attempts, nextAttemptAt } = state;
    let targets = state.targets.filter((target) => {
      const reachable = notifyTarget(target);
      if ('unreachable' in reachable) this.giveUp(target, rqi, attempts, reachable.unreachable);
      return 'url' in reachable;
    });
    if (attempts > this.deps.retries) {
      for (const target of targets) this.giveUp(target, rqi, attempts, `all ${this.deps.retries} retries already used`);
      targets = [];
    }
    if (targets.length < state.targets.length) await this.save(saved, { targets: [...targets], attempts, nextAttemptAt });

    while (targets.length > 0) {
      if (!(await this.waitUntil(nextAttemptAt))) return;
      const results = await Promise.all(targets.map((target) => this.attempt(target, rsp, body)));
      if (this.closed) return;
      attempts += 1;
      const exhausted = attempts > this.deps.retries;
      const failed: string[] = [];
      results.forEach((result, i) => {
        if (result.delivered) this.outcomes.inc({ outcome: 'delivered' });
        else if (exhausted) this.giveUp(targets[i], rqi, attempts, result.reason);
        else {
          this.outcomes.inc({ outcome: 'retried' });
          failed.push(targets[i]);
        }
      });
      targets = failed;
      nextAttemptAt = Date.now() + (targets.length > 0 ? this.backoff(attempts) : 0);
      await this.save(saved, { targets: [...targets], attempts, nextAttemptAt });
    }
  }

  /** Stops every timer and attempt in flight (shutdown); deliver() promises then resolve, saving nothing more. */
  close(): void {
    this.closing.abort();
    for (const stop of this.waits) stop();
    this.waits.clear();
  }

  private get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Wait after the `attempts`-th failed attempt. */
  private backoff(attempts: number): number {
    return Math.min(this.deps.backoffMs * 2 ** (attempts - 1), NOTIFY_BACKOFF_CAP_MS);
  }

  private attempt(target: string, rsp: Record<string, unknown>, body: string) {
    const headers = {
      'X-M2M-Origin': this.deps.originator,
      'X-M2M-RI': `notify-${randomUUID()}`,
      'X-M2M-RVI': typeof rsp.rvi === 'string' ? rsp.rvi : RELEASE_VERSION,
      'X-M2M-OT': oneM2MTimestamp(),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
    return postNotify(new URL(target), headers, body, this.deps.attemptTimeoutMs, this.closing.signal);
  }

  /** True at `dueAt` (at once when past); false when close() came first. */
  private waitUntil(dueAt: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (dueAt <= Date.now()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const stop = (): void => {
        timer.clear();
        resolve(false);
      };
      const timer: LongTimer = setTimeoutAt(dueAt, () => {
        this.waits.delete(stop);
        resolve(true);
      });
      this.waits.add(stop);
    });
  }

  private giveUp(target: string, rqi: unknown, attempts: number, reason: string): void {
    this.outcomes.inc({ outcome: 'undeliverable' });
    this.deps.logger.warn({ target, rqi, attempts, reason }, 'result notification undeliverable: given up');
  }

  private async save(saved: (state: PendingNotification) => Promise<void>, state: PendingNotification): Promise<void> {
    try {
      await saved(state);
    } catch (error) {
      this.deps.logger.error({ err: error, targets: state.targets }, 'result notification: delivery state not saved');
    }
  }
}

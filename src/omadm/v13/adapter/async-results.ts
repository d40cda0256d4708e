import type { Logger } from '../../../core/logger.js';
import { asInteger } from '../../../mappings/device-values.js';
import type { Alert } from '../codec/index.js';

/**
 * Results of Generic Alerts nobody waits for yet (the proxy restarted and has not resumed the operation) are kept this
 * long, at most this many per device and in all: only their few-byte result, so a device sending made-up Correlators
 * costs bounded memory and cannot push out another device's.
 */
const UNCLAIMED_KEEP_MS = 60 * 60_000;
const UNCLAIMED_PER_DEVICE = 16;
const UNCLAIMED_MAX = 10_000;
/** The proxy's Correlators are 12 characters; a longer one answers no Exec of this server. */
const MAX_CORRELATOR_LENGTH = 64;
/** OMA SCOMO result codes are 1200 (success) … 1599; FUMO's are 200 … 599 (reference §1.14). */
const SCOMO_SUCCESS = [1200, 1299] as const;
const FUMO_SUCCESS = [200, 299] as const;

/** What a Generic Alert said about the asynchronous Exec it answers. */
export interface AsyncResult {
  succeeded: boolean;
  /** `FUMO result 410 (org.openmobilealliance.dm.firmwareupdate.downloadandupdate, ./FUMO)` */
  description: string;
}

function resultOfAlert(alert: Alert): AsyncResult {
  const item = alert.items[0];
  const type = item?.meta?.type ?? '';
  const code = asInteger(item?.data ?? '');
  const [low, high] = type.toLowerCase().includes('scomo') ? SCOMO_SUCCESS : FUMO_SUCCESS;
  const succeeded = code !== undefined && code >= low && code <= high;
  const source = item?.source ? `, ${item.source.locUri.slice(0, 80)}` : '';
  return { succeeded, description: `result ${item?.data?.slice(0, 40) ?? '(none)'} (${type.slice(0, 80) || 'no alert type'}${source})` };
}

/**
 * Pairs Generic Alerts (1226) with the asynchronous Execs waiting for them, by DevId and Correlator. An alert that
 * arrives before anyone waits (after a restart, before the operation resumed) is kept for a while.
 */
export class AsyncResults {
  private readonly waiters = new Map<string, (result: AsyncResult, continued: () => void) => void>();
  /** By DevId, then Correlator. */
  private readonly unclaimed = new Map<string, Map<string, { result: AsyncResult; at: number }>>();
  private unclaimedCount = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Hands the alert's result to the Exec waiting for it; resolves once that call has queued what it sends next (so it
   * goes out in the alert's session) or needs nothing more. Undefined when nobody waits.
   */
  readonly onAlert = (devId: string, alert: Alert): Promise<void> | undefined => {
    if (alert.correlator === undefined || alert.correlator.length > MAX_CORRELATOR_LENGTH) {
      this.logger.info({ devId, types: alert.items.map((item) => item.meta?.type?.slice(0, 80)) }, 'DM Generic Alert without a Correlator of this server (a device event)');
      return undefined;
    }
    const result = resultOfAlert(alert);
    const key = keyOf(devId, alert.correlator);
    const waiter = this.waiters.get(key);
    if (!waiter) {
      this.keepUnclaimed(devId, alert.correlator, result);
      return undefined;
    }
    this.waiters.delete(key);
    return new Promise<void>((resolve) => waiter(result, resolve));
  };

  /**
   * The result for this Correlator, with `continued` to call once the caller queued what follows it (or needs nothing);
   * undefined when the signal aborts first.
   */
  wait(devId: string, correlator: string, signal: AbortSignal): Promise<{ result: AsyncResult; continued: () => void } | undefined> {
    const kept = this.claim(devId, correlator);
    if (kept) return Promise.resolve({ result: kept, continued: () => undefined });
    if (signal.aborted) return Promise.resolve(undefined);
    const key = keyOf(devId, correlator);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters.delete(key);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(key, (result, continued) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ result, continued });
      });
    });
  }

  private claim(devId: string, correlator: string): AsyncResult | undefined {
    const device = this.unclaimed.get(devId);
    const kept = device?.get(correlator);
    if (!device || !kept) return undefined;
    device.delete(correlator);
    this.unclaimedCount--;
    if (device.size === 0) this.unclaimed.delete(devId);
    return kept.at > this.now() - UNCLAIMED_KEEP_MS ? kept.result : undefined;
  }

  private keepUnclaimed(devId: string, correlator: string, result: AsyncResult): void {
    if (this.unclaimedCount >= UNCLAIMED_MAX) this.sweep();
    if (this.unclaimedCount >= UNCLAIMED_MAX) return;
    const device = this.unclaimed.get(devId) ?? new Map<string, { result: AsyncResult; at: number }>();
    if (device.size >= UNCLAIMED_PER_DEVICE) {
      device.delete(device.keys().next().value as string);
      this.unclaimedCount--;
    }
    if (!device.has(correlator)) this.unclaimedCount++;
    device.set(correlator, { result, at: this.now() });
    this.unclaimed.set(devId, device);
  }

  private sweep(): void {
    const oldest = this.now() - UNCLAIMED_KEEP_MS;
    for (const [devId, device] of this.unclaimed) {
      for (const [correlator, kept] of device) {
        if (kept.at > oldest) continue;
        device.delete(correlator);
        this.unclaimedCount--;
      }
      if (device.size === 0) this.unclaimed.delete(devId);
    }
  }
}

function keyOf(devId: string, correlator: string): string {
  return `${devId}\n${correlator}`;
}

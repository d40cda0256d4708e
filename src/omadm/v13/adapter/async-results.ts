import type { Logger } from '../../../core/logger.js';
import { asInteger } from '../../../mappings/device-values.js';
import type { Alert } from '../codec/index.js';

/** Generic Alerts nobody waits for yet (the proxy restarted and has not resumed the operation) are kept this long. */
const UNCLAIMED_KEEP_MS = 60 * 60_000;
const UNCLAIMED_MAX = 1000;
/** OMA SCOMO result codes are 1200 (success) … 1599; FUMO's are 200 … 599 (reference §1.14). */
const SCOMO_SUCCESS = [1200, 1299] as const;
const FUMO_SUCCESS = [200, 299] as const;

/** What a Generic Alert said about the asynchronous Exec it answers. */
export interface AsyncResult {
  succeeded: boolean;
  /** `FUMO result 410 (org.openmobilealliance.dm.firmwareupdate.downloadandupdate, ./FUMO)` */
  description: string;
}

export function resultOfAlert(alert: Alert): AsyncResult {
  const item = alert.items[0];
  const type = item?.meta?.type ?? '';
  const code = asInteger(item?.data ?? '');
  const [low, high] = type.toLowerCase().includes('scomo') ? SCOMO_SUCCESS : FUMO_SUCCESS;
  const succeeded = code !== undefined && code >= low && code <= high;
  return { succeeded, description: `result ${item?.data?.slice(0, 40) ?? '(none)'} (${type || 'no alert type'}${item?.source ? `, ${item.source.locUri}` : ''})` };
}

/**
 * Pairs Generic Alerts (1226) with the asynchronous Execs waiting for them, by DevId and Correlator. An alert that
 * arrives before anyone waits (after a restart, before the operation resumed) is kept for a while.
 */
export class AsyncResults {
  private readonly waiters = new Map<string, (alert: Alert) => void>();
  private readonly unclaimed = new Map<string, { alert: Alert; at: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  readonly onAlert = (devId: string, alert: Alert): void => {
    if (alert.correlator === undefined) {
      this.logger.info({ devId, types: alert.items.map((item) => item.meta?.type) }, 'DM Generic Alert without Correlator (a device event)');
      return;
    }
    const key = keyOf(devId, alert.correlator);
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      waiter(alert);
      return;
    }
    this.keepUnclaimed(key, alert);
  };

  /** The alert for this Correlator; undefined when the signal aborts first. */
  wait(devId: string, correlator: string, signal: AbortSignal): Promise<Alert | undefined> {
    const key = keyOf(devId, correlator);
    const kept = this.unclaimed.get(key);
    if (kept) {
      this.unclaimed.delete(key);
      return Promise.resolve(kept.alert);
    }
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters.delete(key);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(key, (alert) => {
        signal.removeEventListener('abort', onAbort);
        resolve(alert);
      });
    });
  }

  private keepUnclaimed(key: string, alert: Alert): void {
    const now = this.now();
    for (const [old, kept] of this.unclaimed) {
      if (kept.at > now - UNCLAIMED_KEEP_MS && this.unclaimed.size < UNCLAIMED_MAX) break;
      this.unclaimed.delete(old);
    }
    this.unclaimed.set(key, { alert, at: now });
  }
}

function keyOf(devId: string, correlator: string): string {
  return `${devId}\n${correlator}`;
}

/**
 * Results of asynchronous operations nobody waits for yet (the proxy restarted and has not resumed the operation) are
 * kept this long, at most this many per device and in all: only their few-byte result, so a device sending made-up
 * keys costs bounded memory and cannot push out another device's.
 */
const UNCLAIMED_KEEP_MS = 60 * 60_000;
const UNCLAIMED_PER_DEVICE = 16;
const UNCLAIMED_MAX = 10_000;

/** What a Generic Alert said about the asynchronous Exec it answers. */
export interface AsyncResult {
  succeeded: boolean;
  /** `result 410 (org.openmobilealliance.dm.firmwareupdate.downloadandupdate, ./FUMO)` */
  description: string;
}

/** OMA SCOMO result codes are 1200 (success) … 1599; FUMO's (and the others') are 200 … 599 (reference §1.14). */
export function alertResultSucceeded(alertType: string, code: number | undefined): boolean {
  const [low, high] = alertType.toLowerCase().includes('scomo') ? [1200, 1299] : [200, 299];
  return code !== undefined && code >= low && code <= high;
}

/**
 * Pairs the results of asynchronous Execs (Generic Alerts) with the calls waiting for them, by DevId and a key the
 * Exec carried (DM 1.3: its Correlator; DM 2.0: the token of its ServerURI). A result that arrives before anyone waits
 * (after a restart, before the operation resumed) is kept for a while.
 */
export class AsyncResults {
  private readonly waiters = new Map<string, (result: AsyncResult, continued: () => void) => void>();
  /** By DevId, then key. */
  private readonly unclaimed = new Map<string, Map<string, { result: AsyncResult; at: number }>>();
  private unclaimedCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Hands the result to the call waiting for it; resolves once that call has queued what it sends next (so it goes out
   * in the alert's session) or needs nothing more. Undefined when nobody waits (the result is kept a while).
   */
  deliver(devId: string, key: string, result: AsyncResult): Promise<void> | undefined {
    const id = keyOf(devId, key);
    const waiter = this.waiters.get(id);
    if (!waiter) {
      this.keepUnclaimed(devId, key, result);
      return undefined;
    }
    this.waiters.delete(id);
    return new Promise<void>((resolve) => waiter(result, resolve));
  }

  /**
   * The result for this key, with `continued` to call once the caller queued what follows it (or needs nothing);
   * undefined when the signal aborts first.
   */
  wait(devId: string, key: string, signal: AbortSignal): Promise<{ result: AsyncResult; continued: () => void } | undefined> {
    const kept = this.claim(devId, key);
    if (kept) return Promise.resolve({ result: kept, continued: () => undefined });
    if (signal.aborted) return Promise.resolve(undefined);
    const id = keyOf(devId, key);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters.delete(id);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, (result, continued) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ result, continued });
      });
    });
  }

  private claim(devId: string, key: string): AsyncResult | undefined {
    const device = this.unclaimed.get(devId);
    const kept = device?.get(key);
    if (!device || !kept) return undefined;
    device.delete(key);
    this.unclaimedCount--;
    if (device.size === 0) this.unclaimed.delete(devId);
    return kept.at > this.now() - UNCLAIMED_KEEP_MS ? kept.result : undefined;
  }

  private keepUnclaimed(devId: string, key: string, result: AsyncResult): void {
    if (this.unclaimedCount >= UNCLAIMED_MAX) this.sweep();
    if (this.unclaimedCount >= UNCLAIMED_MAX) return;
    const device = this.unclaimed.get(devId) ?? new Map<string, { result: AsyncResult; at: number }>();
    if (device.size >= UNCLAIMED_PER_DEVICE) {
      device.delete(device.keys().next().value as string);
      this.unclaimedCount--;
    }
    if (!device.has(key)) this.unclaimedCount++;
    device.set(key, { result, at: this.now() });
    this.unclaimed.set(devId, device);
  }

  private sweep(): void {
    const oldest = this.now() - UNCLAIMED_KEEP_MS;
    for (const [devId, device] of this.unclaimed) {
      for (const [key, kept] of device) {
        if (kept.at > oldest) continue;
        device.delete(key);
        this.unclaimedCount--;
      }
      if (device.size === 0) this.unclaimed.delete(devId);
    }
  }
}

function keyOf(devId: string, key: string): string {
  return `${devId}\n${key}`;
}

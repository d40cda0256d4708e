import type { Logger } from '../../../core/logger.js';
import { asInteger } from '../../../mappings/device-values.js';
import { type AsyncResult, AsyncResults as PairedResults, alertResultSucceeded } from '../../common/async-results.js';
import type { Alert } from '../codec/index.js';

export type { AsyncResult } from '../../common/async-results.js';

/** The proxy's Correlators are 12 characters; a longer one answers no Exec of this server. */
const MAX_CORRELATOR_LENGTH = 64;

function resultOfAlert(alert: Alert): AsyncResult {
  const item = alert.items[0];
  const type = item?.meta?.type ?? '';
  const succeeded = alertResultSucceeded(type, asInteger(item?.data ?? ''));
  const source = item?.source ? `, ${item.source.locUri.slice(0, 80)}` : '';
  return { succeeded, description: `result ${item?.data?.slice(0, 40) ?? '(none)'} (${type.slice(0, 80) || 'no alert type'}${source})` };
}

/** Pairs Generic Alerts (1226) with the asynchronous Execs waiting for them, by DevId and Correlator. */
export class AsyncResults extends PairedResults {
  constructor(
    private readonly logger: Logger,
    now?: () => number,
  ) {
    super(now);
  }

  /**
   * Hands the alert's result to the Exec waiting for it; resolves once that call has queued what it sends next (so it
   * goes out in the alert's session) or needs nothing more. Undefined when nobody waits.
   */
  readonly onAlert = (devId: string, alert: Alert): Promise<void> | undefined => {
    if (alert.correlator === undefined || alert.correlator.length > MAX_CORRELATOR_LENGTH) {
      this.logger.info({ devId, types: alert.items.map((item) => item.meta?.type?.slice(0, 80)) }, 'DM Generic Alert without a Correlator of this server (a device event)');
      return undefined;
    }
    return this.deliver(devId, alert.correlator, resultOfAlert(alert));
  };
}

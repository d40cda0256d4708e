import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { LATEST_MOMENT, RELATIVE_MS } from './request-headers.js';
import { parseTimestamp } from './timestamps.js';
/** ISO 8601 duration, days and time only (months and years have no fixed length). */
const DURATION = /^P(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9}(?:[.,]\d{1,9})?)S)?)?$/;

/**
 * Result Persistence (`rp`, TS-0004 §6.3.4.2): a duration in ms, an ISO 8601 duration (`PT5M`, `P1DT2H`) or an absolute
 * timestamp; the persistence in ms from `now`. Anything else is 4000.
 */
export function resultPersistenceMs(rp: string, now: number): number {
  const ms = persistenceOf(rp, now);
  if (ms === undefined) throw new RequestError(RSC.BAD_REQUEST, `rp "${rp}" is neither a duration (ms, or ISO 8601 like PT10M) nor a timestamp`);
  if (now + ms > LATEST_MOMENT) throw new RequestError(RSC.BAD_REQUEST, `rp "${rp}" keeps the result beyond the year 9999`);
  return ms;
}

function persistenceOf(rp: string, now: number): number | undefined {
  if (RELATIVE_MS.test(rp)) return Number(rp);
  const duration = DURATION.exec(rp);
  if (duration && rp !== 'P' && !rp.endsWith('T')) {
    const [days, hours, minutes, seconds] = duration.slice(1).map((part) => Number((part ?? '0').replace(',', '.')));
    return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
  }
  const absolute = parseTimestamp(rp);
  return absolute === undefined ? undefined : Math.max(0, absolute - now);
}

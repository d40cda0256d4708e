import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { parseTimestamp } from './timestamps.js';

const MILLISECONDS = /^\d{1,15}$/;
/** ISO 8601 duration, days and time only (months and years have no fixed length). */
const DURATION = /^P(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9}(?:[.,]\d{1,9})?)S)?)?$/;

/**
 * Result Persistence (`rp`, TS-0004 §6.3.4.2): a duration in ms, an ISO 8601 duration (`PT5M`, `P1DT2H`) or an absolute
 * timestamp; the persistence in ms from `now`. Anything else is 4000.
 */
export function resultPersistenceMs(rp: string, now: number): number {
  if (MILLISECONDS.test(rp)) return Number(rp);
  const duration = DURATION.exec(rp);
  if (duration && rp !== 'P' && !rp.endsWith('T')) {
    const [days, hours, minutes, seconds] = duration.slice(1).map((part) => Number((part ?? '0').replace(',', '.')));
    return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
  }
  const absolute = parseTimestamp(rp);
  if (absolute !== undefined) return Math.max(0, absolute - now);
  throw new RequestError(RSC.BAD_REQUEST, `rp "${rp}" is neither a duration (ms, or ISO 8601 like PT10M) nor a timestamp`);
}

import type { IncomingHttpHeaders } from 'node:http';
import type { RequestPrimitive } from '../../core/primitives.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { parseTimestamp } from './timestamps.js';

/**
 * Primitive parameters carried in `X-M2M-*` headers (TS-0009 §6.4), typed as in the request primitive.
 * `deadline` is epoch ms from `X-M2M-RET`, or now + the configured device timeout.
 */
export interface HeaderParameters extends Pick<RequestPrimitive, 'fr' | 'rqi' | 'rvi' | 'ot' | 'rqet' | 'rset' | 'oet' | 'ec' | 'vsi' | 'deadline' | 'resultExpiresAt'> {
  /** `X-M2M-RTU`: notification targets of a non-blocking asynchronous request (become `rt.nu`). */
  rtu?: string[];
}

/** A header's value, undefined when absent or empty. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export const RELATIVE_MS = /^\d{1,15}$/;
/** 9999-12-31T23:59:59Z: the last moment a oneM2M timestamp can say. */
export const LATEST_MOMENT = Date.UTC(9999, 11, 31, 23, 59, 59);

/** `X-M2M-RET` and `X-M2M-RST` are an absolute oneM2M timestamp or a duration in ms from now, up to LATEST_MOMENT. */
function momentFrom(header: string, value: string, now: number): number {
  const moment = RELATIVE_MS.test(value) ? now + Number(value) : parseTimestamp(value);
  if (moment === undefined) {
    throw new RequestError(RSC.BAD_REQUEST, `${header} "${value}" is neither a timestamp (YYYYMMDDTHHMMSS[,ffffff], UTC) nor a duration in ms`);
  }
  if (moment > LATEST_MOMENT) throw new RequestError(RSC.BAD_REQUEST, `${header} "${value}" lies beyond the year 9999`);
  return moment;
}

/** Most X-M2M-RTU targets one request may name (each is sent the result, and retried). */
export const MAX_NOTIFICATION_TARGETS = 10;

/** The distinct targets of an X-M2M-RTU; an empty one is meaningful: nobody gets the result notification. */
function notificationTargets(text: string): string[] {
  const targets = [...new Set(text.split('&').map((uri) => uri.trim()).filter(Boolean))];
  if (targets.length > MAX_NOTIFICATION_TARGETS) {
    throw new RequestError(RSC.BAD_REQUEST, `X-M2M-RTU names ${targets.length} targets; at most ${MAX_NOTIFICATION_TARGETS} are served`);
  }
  return targets;
}

export function parseRequestHeaders(headers: IncomingHttpHeaders, now: number, defaultTimeoutMs: number): HeaderParameters {
  const fr = headerValue(headers, 'x-m2m-origin');
  const rqi = headerValue(headers, 'x-m2m-ri');
  const missing = [fr === undefined && 'X-M2M-Origin', rqi === undefined && 'X-M2M-RI'].filter(Boolean);
  if (fr === undefined || rqi === undefined) {
    throw new RequestError(RSC.BAD_REQUEST, `missing mandatory header ${missing.join(' and ')}`);
  }
  const rqet = headerValue(headers, 'x-m2m-ret');
  const deadline = rqet === undefined ? now + defaultTimeoutMs : momentFrom('X-M2M-RET', rqet, now);
  const rset = headerValue(headers, 'x-m2m-rst');
  const rtu = headers['x-m2m-rtu'];
  return {
    fr,
    rqi,
    rvi: headerValue(headers, 'x-m2m-rvi'),
    ot: headerValue(headers, 'x-m2m-ot'),
    rqet,
    rset,
    oet: headerValue(headers, 'x-m2m-oet'),
    ec: headerValue(headers, 'x-m2m-ec'),
    vsi: headerValue(headers, 'x-m2m-vsi'),
    rtu: rtu === undefined ? undefined : notificationTargets(headerValue(headers, 'x-m2m-rtu') ?? ''),
    deadline,
    ...(rset !== undefined ? { resultExpiresAt: momentFrom('X-M2M-RST', rset, now) } : {}),
  };
}

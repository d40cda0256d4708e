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

const RELATIVE_MS = /^\d{1,15}$/;

/** `X-M2M-RET` and `X-M2M-RST` are an absolute oneM2M timestamp or a duration in ms from now. */
function momentFrom(header: string, value: string, now: number): number {
  if (RELATIVE_MS.test(value)) return now + Number(value);
  const absolute = parseTimestamp(value);
  if (absolute === undefined) {
    throw new RequestError(RSC.BAD_REQUEST, `${header} "${value}" is neither a timestamp (YYYYMMDDTHHMMSS[,ffffff], UTC) nor a duration in ms`);
  }
  return absolute;
}

export function parseRequestHeaders(headers: IncomingHttpHeaders, now: number, defaultTimeoutMs: number): HeaderParameters {
  const fr = headerValue(headers, 'x-m2m-origin');
  const rqi = headerValue(headers, 'x-m2m-ri');
  const missing = [fr === undefined && 'X-M2M-Origin', rqi === undefined && 'X-M2M-RI'].filter(Boolean);
  if (fr === undefined || rqi === undefined) {
    throw new RequestError(RSC.BAD_REQUEST, `missing mandatory header ${missing.join(' and ')}`);
  }
  const rqet = headerValue(headers, 'x-m2m-ret');
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
    // An empty X-M2M-RTU is meaningful: nobody gets the result notification.
    rtu: rtu === undefined ? undefined : (headerValue(headers, 'x-m2m-rtu') ?? '').split('&').map((uri) => uri.trim()).filter(Boolean),
    deadline: rqet === undefined ? now + defaultTimeoutMs : momentFrom('X-M2M-RET', rqet, now),
    ...(rset !== undefined ? { resultExpiresAt: momentFrom('X-M2M-RST', rset, now) } : {}),
  };
}

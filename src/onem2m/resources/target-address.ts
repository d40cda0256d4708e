import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';

/** A `To` parameter reduced to a lookup: a structured CSE-relative path or an unstructured resource id. */
export type Target = { kind: 'path'; path: string } | { kind: 'ri'; ri: string };

/**
 * Parses the primitive forms of TS-0004 §6.2.3: CSE-relative `proxy/a/b` (or `-/a/b`) and `<ri>`,
 * SP-relative `/<cseId>/...`, absolute `//<sp>/<cseId>/...`. The proxy forwards nothing, so another CSE-ID
 * is a target it cannot reach (5103).
 */
export function parseTarget(to: string, cseId: string, cseName: string): Target {
  if (to === '') throw new RequestError(RSC.BAD_REQUEST, 'the target (To) is empty');
  const ownId = cseId.replace(/^\//, '');
  if (to.startsWith('//')) {
    const afterSp = to.indexOf('/', 2);
    if (afterSp < 0) throw new RequestError(RSC.BAD_REQUEST, `absolute target "${to}" names no CSE`);
    return parseSpRelative(to.slice(afterSp), ownId, cseName);
  }
  if (to.startsWith('/')) return parseSpRelative(to, ownId, cseName);
  return parseCseRelative(to, cseName);
}

function parseSpRelative(to: string, ownId: string, cseName: string): Target {
  const [cse, ...rest] = to.slice(1).split('/');
  if (!cse) throw new RequestError(RSC.BAD_REQUEST, `target "${to}" names no CSE`);
  if (cse !== ownId) {
    throw new RequestError(RSC.TARGET_NOT_REACHABLE, `target CSE "/${cse}" is not this CSE ("/${ownId}") and requests are not forwarded`);
  }
  return rest.length === 0 || (rest.length === 1 && rest[0] === '') ? { kind: 'path', path: cseName } : parseCseRelative(rest.join('/'), cseName);
}

function parseCseRelative(to: string, cseName: string): Target {
  const segments = to.replace(/\/+$/, '').split('/');
  if (segments.some((s) => s === '')) throw new RequestError(RSC.BAD_REQUEST, `target "${to}" has an empty path segment`);
  const [first, ...rest] = segments;
  if (first === cseName || first === '-') return { kind: 'path', path: [cseName, ...rest].join('/') };
  if (rest.length === 0) return { kind: 'ri', ri: first };
  throw new RequestError(RSC.NOT_FOUND, `no resource "${to}": structured targets start with the CSEBase name "${cseName}"`);
}

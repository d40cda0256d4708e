import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';

/** A `To` parameter reduced to a lookup: a structured CSE-relative path or an unstructured resource id. */
export type Target = { kind: 'path'; path: string } | { kind: 'ri'; ri: string };

/** Who this CSE is, as targets name it. */
export interface OwnAddress {
  cseId: string;
  cseName: string;
  /** M2M-SP-ID without `//`. */
  spId: string;
}

/**
 * Parses the primitive forms of TS-0004 §6.2.3: CSE-relative `proxy/a/b` (or `-/a/b`) and `<ri>`,
 * SP-relative `/<cseId>/...`, absolute `//<sp>/<cseId>/...`. The proxy forwards nothing, so another CSE-ID
 * is a target it cannot reach (5103); another SP-ID names a resource that does not exist here (4004).
 * An SP-relative or absolute address is a CSE-ID followed by a resource part: the CSE-ID alone addresses no resource.
 */
export function parseTarget(to: string, own: OwnAddress): Target {
  if (to === '') throw new RequestError(RSC.BAD_REQUEST, 'the target (To) is empty');
  const ownId = own.cseId.replace(/^\//, '');
  if (to.startsWith('//')) {
    const afterSp = to.indexOf('/', 2);
    if (afterSp < 0) throw new RequestError(RSC.BAD_REQUEST, `absolute target "${to}" names no CSE`);
    const sp = to.slice(2, afterSp);
    if (sp.toLowerCase() !== own.spId.toLowerCase()) {
      throw new RequestError(RSC.NOT_FOUND, `absolute target "${to}" belongs to SP "//${sp}", not this one ("//${own.spId}"), and requests are not forwarded`);
    }
    return parseSpRelative(to.slice(afterSp), ownId, own.cseName);
  }
  if (to.startsWith('/')) return parseSpRelative(to, ownId, own.cseName);
  return parseCseRelative(to, own.cseName);
}

function parseSpRelative(to: string, ownId: string, cseName: string): Target {
  const [cse, ...rest] = to.slice(1).split('/');
  if (!cse) throw new RequestError(RSC.BAD_REQUEST, `target "${to}" names no CSE`);
  if (cse !== ownId) {
    throw new RequestError(RSC.TARGET_NOT_REACHABLE, `target CSE "/${cse}" is not this CSE ("/${ownId}") and requests are not forwarded`);
  }
  if (rest.length === 0) {
    throw new RequestError(RSC.BAD_REQUEST, `target "${to}" names the CSE but no resource: address the CSEBase as "/${ownId}/${cseName}"`);
  }
  return parseCseRelative(rest.join('/'), cseName);
}

function parseCseRelative(to: string, cseName: string): Target {
  const segments = to.split('/');
  if (segments.some((s) => s === '')) throw new RequestError(RSC.BAD_REQUEST, `target "${to}" has an empty path segment`);
  const [first, ...rest] = segments;
  if (first === cseName || first === '-') return { kind: 'path', path: [cseName, ...rest].join('/') };
  if (rest.length === 0) return { kind: 'ri', ri: first };
  throw new RequestError(RSC.NOT_FOUND, `no resource "${to}": structured targets start with the CSEBase name "${cseName}"`);
}

import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new RequestError(RSC.BAD_REQUEST, `malformed percent-encoding in request path segment "${segment}"`);
  }
  if (decoded.includes('/')) throw new RequestError(RSC.BAD_REQUEST, `an encoded "/" is not allowed in request path segment "${segment}"`);
  if (CONTROL_CHARACTER.test(decoded)) throw new RequestError(RSC.BAD_REQUEST, `control character in request path segment "${segment}"`);
  return decoded;
}

function decodeSegments(segments: string[], what: string): string {
  if (segments.length === 0 || segments.some((s) => s === '')) {
    throw new RequestError(RSC.BAD_REQUEST, `request path has an empty ${what}`);
  }
  return segments.map(decodeSegment).join('/');
}

/** `/proxy/` is not `/proxy`: a trailing slash leaves an empty resource name, which TS-0004 addresses never have. */
function checkNoTrailingSlash(rawPath: string, segments: string[]): void {
  if (segments[segments.length - 1] === '') {
    throw new RequestError(RSC.BAD_REQUEST, `request path "${rawPath}" ends with "/": a target ends with a resource name or ID`);
  }
}

/**
 * HTTP request path (still percent-encoded, without query) → `to` in primitive form (TS-0009 §6.2.1):
 * `/~/<csi>/<rest>` → SP-relative `/<csi>/<rest>`, `/_/<sp>/<csi>/<rest>` → absolute `//<sp>/<csi>/<rest>`,
 * anything else `/<rest>` → CSE-relative `<rest>`. The target is not resolved here.
 */
export function targetFromPath(rawPath: string): string {
  if (!rawPath.startsWith('/')) throw new RequestError(RSC.BAD_REQUEST, 'request path must start with "/"');
  const segments = rawPath.slice(1).split('/');
  const [first, ...rest] = segments;
  if (first === '~') {
    if (rest.length === 0 || rest[0] === '') throw new RequestError(RSC.BAD_REQUEST, 'SP-relative target "/~/" needs a CSE-ID');
    checkNoTrailingSlash(rawPath, segments);
    return `/${decodeSegments(rest, 'segment in an SP-relative target')}`;
  }
  if (first === '_') {
    if (rest.length < 2 || rest[0] === '' || rest[1] === '') throw new RequestError(RSC.BAD_REQUEST, 'absolute target "/_/" needs an SP-ID and a CSE-ID');
    checkNoTrailingSlash(rawPath, segments);
    return `//${decodeSegments(rest, 'segment in an absolute target')}`;
  }
  if (first === '') throw new RequestError(RSC.BAD_REQUEST, 'request path names no target resource');
  checkNoTrailingSlash(rawPath, segments);
  return decodeSegments(segments, 'segment');
}

/** `to`-style address → HTTP path: the inverse of `targetFromPath`, used for `Content-Location`. */
export function pathFromTarget(target: string): string {
  const encode = (address: string) => address.split('/').map(encodeURIComponent).join('/');
  if (target.startsWith('//')) return `/_/${encode(target.slice(2))}`;
  if (target.startsWith('/')) return `/~/${encode(target.slice(1))}`;
  return `/${encode(target)}`;
}

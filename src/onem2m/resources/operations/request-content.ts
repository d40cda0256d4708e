import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';

/** The one root key of a Create/Update content and the attributes under it; 4000 for anything else. */
export function contentRoot(pc: Record<string, unknown> | undefined): [string, Record<string, unknown>] {
  const keys = pc ? Object.keys(pc) : [];
  if (keys.length !== 1) {
    throw new RequestError(RSC.BAD_REQUEST, keys.length === 0 ? 'the request has no content' : `content must have one root element, got ${keys.join(', ')}`);
  }
  const value = pc![keys[0]];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError(RSC.BAD_REQUEST, `content of ${keys[0]} must be an object`);
  }
  return [keys[0], value as Record<string, unknown>];
}

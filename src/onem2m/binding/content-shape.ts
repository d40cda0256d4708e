import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';

/** Deeper content is refused: no oneM2M resource nests this far, and later recursive code stays safe. */
export const MAX_CONTENT_DEPTH = 32;

export type Content = Record<string, unknown>;

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Content must be one object (`{ "m2m:nod": {...} }`), nested at most MAX_CONTENT_DEPTH levels (checked without recursion). */
export function checkContent(value: unknown): Content {
  if (!isContainer(value) || Array.isArray(value)) {
    throw new RequestError(RSC.BAD_REQUEST, 'content must be an object with the resource root key, e.g. {"m2m:nod": {...}}');
  }
  const pending: Array<[object, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [container, depth] = pending.pop()!;
    if (depth > MAX_CONTENT_DEPTH) throw new RequestError(RSC.BAD_REQUEST, `content nested deeper than ${MAX_CONTENT_DEPTH} levels`);
    for (const child of Object.values(container)) if (isContainer(child)) pending.push([child, depth + 1]);
  }
  return value as Content;
}

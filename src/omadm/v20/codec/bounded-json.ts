import { Dm2DecodeError } from './decode-error.js';
import type { Dm2Limits } from './limits.js';

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of arrays and objects in JSON text, read without parsing (brackets inside strings do not count). */
function nestingDepth(bytes: Buffer, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth--;
  }
  return deepest;
}

/**
 * Parses a package body as UTF-8 JSON within the limits: too large -> 413, too deep, not UTF-8 or not JSON -> 400 (so
 * the walk over the value afterwards never runs deep).
 */
export function parseBoundedJson(body: Buffer, limits: Dm2Limits): unknown {
  if (body.length > limits.maxBytes) throw new Dm2DecodeError(413, `package of ${body.length} bytes, over the limit of ${limits.maxBytes}`);
  if (nestingDepth(body, limits.maxDepth) > limits.maxDepth) throw new Dm2DecodeError(400, `JSON nested deeper than ${limits.maxDepth} levels`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new Dm2DecodeError(400, 'the package is not UTF-8 text');
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new Dm2DecodeError(400, `malformed JSON: ${(error as Error).message}`);
  }
}

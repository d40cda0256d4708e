import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type ResourceValue } from './model.js';

/** Largest object, instance or resource ID (IDs are 16-bit on every LwM2M wire format). */
export const MAX_ID = 0xffff;

export function formatPath(path: Lwm2mPath): string {
  return '/' + path.join('/');
}

const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** An ID has at most 5 digits (65535). */
const MAX_ID_DIGITS = 5;

/**
 * Parses `/3/0/1` style names (at most 4 IDs of 0–65535, decimal without leading zeros); `undefined` when the text is
 * not an LwM2M path. Read character by character: every record of a multi-value answer names its path.
 */
export function parsePath(text: string): Lwm2mPath | undefined {
  if (text.charCodeAt(0) !== SLASH) return undefined;
  if (text.length === 1) return [];
  const path: Lwm2mPath = [];
  let id = 0;
  let digits = 0;
  for (let i = 1; i <= text.length; i++) {
    const char = i < text.length ? text.charCodeAt(i) : SLASH;
    if (char === SLASH) {
      if (digits === 0 || id > MAX_ID || path.length === 4) return undefined;
      path.push(id);
      id = 0;
      digits = 0;
    } else {
      if (char < DIGIT_0 || char > DIGIT_9 || (digits === 1 && id === 0) || digits === MAX_ID_DIGITS) return undefined;
      id = id * 10 + (char - DIGIT_0);
      digits++;
    }
  }
  return path;
}

/** True when `path` is `prefix` or lies below it. */
export function isWithin(path: Lwm2mPath, prefix: Lwm2mPath): boolean {
  return path.length >= prefix.length && prefix.every((id, i) => path[i] === id);
}

/** Path of one resource value: `/oid/iid/rid` or `/oid/iid/rid/riid`. */
export function isValuePath(path: Lwm2mPath): boolean {
  return path.length === 3 || path.length === 4;
}

/** Checks that a decoded value path is a resource (instance) path inside the request path. */
export function checkDecodedPath(path: Lwm2mPath, requestPath: Lwm2mPath): void {
  if (!isValuePath(path)) throw new Lwm2mDecodeError(`${formatPath(path)} is not a resource path`);
  if (!isWithin(path, requestPath)) {
    throw new Lwm2mDecodeError(`${formatPath(path)} lies outside the requested ${formatPath(requestPath)}`);
  }
}

/** Checks that a value about to be encoded is a resource (instance) inside the request path. */
export function checkEncodedPath(path: Lwm2mPath, requestPath: Lwm2mPath): void {
  if (!isValuePath(path) || !isWithin(path, requestPath)) {
    throw new Lwm2mEncodeError(`${formatPath(path)} is not a resource path inside ${formatPath(requestPath)}`);
  }
}

export interface BaseNaming {
  baseName: string;
  /** Name of a value relative to the base name; undefined for the value at the base name itself. */
  relativeName(path: Lwm2mPath): string | undefined;
}

/**
 * Names for the JSON/SenML encoders: base name `/3/0/` with names `0`, `6/1`...; or, when a value sits at the
 * request path itself (single resource), base name `/3/0/9` with that value unnamed.
 */
export function baseNaming(values: ResourceValue[], requestPath: Lwm2mPath): BaseNaming {
  const allBelow = values.every((entry) => entry.path.length > requestPath.length);
  const prefix = formatPath(requestPath);
  return {
    baseName: !allBelow ? prefix : requestPath.length > 0 ? prefix + '/' : '/',
    relativeName(path) {
      const relative = path.slice(requestPath.length).join('/');
      if (!relative) return undefined;
      return allBelow ? relative : '/' + relative;
    },
  };
}

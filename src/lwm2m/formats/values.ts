/** Value rules shared by all formats: object links, 64-bit integers, and what JS value fits which resource type. */
import { formatPath, MAX_ID } from './path.js';
import {
  Lwm2mDecodeError,
  Lwm2mEncodeError,
  type Lwm2mPath,
  type Lwm2mValue,
  type ObjectLink,
  type ResourceType,
  type ResourceValue,
  type TypeResolver,
} from './model.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function isObjectLink(value: unknown): value is ObjectLink {
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return false;
  const { objectId, instanceId } = value as Partial<ObjectLink>;
  return isId(objectId) && isId(instanceId);
}

function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID;
}

const OBJECT_LINK_TEXT = /^(0|[1-9][0-9]{0,4}):(0|[1-9][0-9]{0,4})$/;

/** Parses `oid:iid` (`65535:65535` is the null link). */
export function parseObjectLink(text: string): ObjectLink {
  const match = OBJECT_LINK_TEXT.exec(text);
  const link = match && { objectId: Number(match[1]), instanceId: Number(match[2]) };
  if (!link || !isObjectLink(link)) throw new Lwm2mDecodeError(`invalid object link ${JSON.stringify(text.slice(0, 40))}`);
  return link;
}

export function formatObjectLink(link: ObjectLink): string {
  return `${link.objectId}:${link.instanceId}`;
}

/** Integers within 2^53 as number, beyond as bigint. */
export function normalizeInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * Checks a number decoded from a self-describing format (SenML, JSON, CBOR) against the resource type:
 * integer, unsigned and time values must be whole numbers in 64-bit range; float accepts any number.
 */
export function typedNumber(value: number | bigint, type: ResourceType | undefined, path: Lwm2mPath): number | bigint {
  if (type === 'float') return Number(value);
  if (type !== 'integer' && type !== 'unsigned' && type !== 'time') return typeof value === 'bigint' ? normalizeInteger(value) : value;
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new Lwm2mDecodeError(`${formatPath(path)}: ${type} resource has non-integer value ${value}`);
  }
  const whole = BigInt(value);
  const min = type === 'unsigned' ? 0n : INT64_MIN;
  const max = type === 'unsigned' ? UINT64_MAX : INT64_MAX;
  if (whole < min || whole > max) throw new Lwm2mDecodeError(`${formatPath(path)}: ${type} value ${whole} out of range`);
  return typeof value === 'bigint' ? normalizeInteger(value) : value;
}

/** The wire type of a value about to be encoded: the declared type (checked against the value) or one inferred from it. */
export function encodingType(entry: ResourceValue, types: TypeResolver): ResourceType {
  const declared = types(entry.path[0], entry.path[2]);
  const type = declared ?? inferType(entry.value);
  if (!fitsType(entry.value, type)) {
    throw new Lwm2mEncodeError(`${formatPath(entry.path)}: ${describe(entry.value)} is not a valid ${type} value`);
  }
  return type;
}

function inferType(value: Lwm2mValue): ResourceType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (Buffer.isBuffer(value)) return 'opaque';
  return 'objlnk';
}

function fitsType(value: Lwm2mValue, type: ResourceType): boolean {
  switch (type) {
    case 'string':
    case 'corelnk':
      return typeof value === 'string';
    case 'integer':
    case 'time':
      return fitsRange(value, INT64_MIN, INT64_MAX);
    case 'unsigned':
      return fitsRange(value, 0n, UINT64_MAX);
    case 'float':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'boolean':
      return typeof value === 'boolean';
    case 'opaque':
      return Buffer.isBuffer(value);
    case 'objlnk':
      return isObjectLink(value);
    case 'none':
      return true;
  }
}

function fitsRange(value: Lwm2mValue, min: bigint, max: bigint): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && BigInt(value) >= min && BigInt(value) <= max;
  return typeof value === 'bigint' && value >= min && value <= max;
}

function describe(value: Lwm2mValue): string {
  if (Buffer.isBuffer(value)) return `${value.length}-byte buffer`;
  if (typeof value === 'object') return JSON.stringify(value);
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 (invalid sequences are an error, never replacement characters); `what` names the text in the error. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Lwm2mDecodeError(`${what} is not valid UTF-8`);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** Decodes base64 or base64url, padded or not; anything else is an error (Buffer.from would skip bad characters). */
export function decodeBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw new Lwm2mDecodeError(`${what}: invalid base64 data`);
  return Buffer.from(text, 'base64url');
}

/** CBOR (60, LwM2M 1.1+): one resource value as a single CBOR item; object links as text `oid:iid`, opaque as a byte string. */
import type { FormatCodec } from './codec.js';
import { decodeCbor, encodeCbor, isCborNumber } from './cbor.js';
import { formatPath } from './path.js';
import { checkSingleValueTarget, singleValue } from './single-value.js';
import { encodingType, formatObjectLink, parseObjectLink, typedNumber } from './values.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type Lwm2mValue, type ObjectLink, type ResourceType, type ResourceValue, type TypeResolver } from './model.js';

const ACCEPTED: Record<ResourceType, (item: unknown) => boolean> = {
  integer: isCborNumber,
  unsigned: isCborNumber,
  float: isCborNumber,
  time: (item) => isCborNumber(item) || item instanceof Date,
  boolean: (item) => typeof item === 'boolean',
  string: (item) => typeof item === 'string',
  corelnk: (item) => typeof item === 'string',
  objlnk: (item) => typeof item === 'string',
  opaque: Buffer.isBuffer,
  none: (item) => isCborNumber(item) || ['string', 'boolean'].includes(typeof item) || Buffer.isBuffer(item),
};

function itemValue(item: unknown, type: ResourceType | undefined, path: Lwm2mPath): Lwm2mValue {
  if (!ACCEPTED[type ?? 'none'](item)) {
    throw new Lwm2mDecodeError(`${formatPath(path)}: CBOR item of type ${describe(item)} is not a valid ${type ?? 'resource'} value`);
  }
  if (item instanceof Date) return Math.floor(item.getTime() / 1000);
  if (isCborNumber(item)) return typedNumber(item, type, path);
  if (type === 'objlnk') return parseObjectLink(item as string);
  return item as string | boolean | Buffer;
}

function describe(item: unknown): string {
  if (item === null) return 'null';
  if (Buffer.isBuffer(item)) return 'bytes';
  if (Array.isArray(item)) return 'array';
  return typeof item === 'object' ? (item.constructor?.name ?? 'object') : typeof item;
}

function decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  checkSingleValueTarget(requestPath, 'CBOR');
  const item = decodeCbor(payload, 'CBOR');
  return [{ path: requestPath, value: itemValue(item, types(requestPath[0], requestPath[2]), requestPath) }];
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  const entry = singleValue(values, requestPath, 'CBOR');
  switch (encodingType(entry, types)) {
    case 'objlnk':
      return encodeCbor(formatObjectLink(entry.value as ObjectLink));
    case 'float':
      return encodeCbor(Number(entry.value));
    case 'none':
      throw new Lwm2mEncodeError(`${formatPath(entry.path)} is executable and has no value`);
    default:
      return encodeCbor(entry.value);
  }
}

export const cborValueCodec: FormatCodec = { multiValue: false, decode, encode };

/** Binary value encodings of LwM2M TLV (Appendix C): big-endian integers and floats, 0/1 booleans, 4-byte object links. */
import { formatPath } from './path.js';
import { decodeUtf8, normalizeInteger } from './values.js';
import { Lwm2mDecodeError, type Lwm2mPath, type Lwm2mValue, type ObjectLink, type ResourceType } from './model.js';

export function decodeTlvValue(bytes: Buffer, type: ResourceType | undefined, path: Lwm2mPath): Lwm2mValue {
  switch (type) {
    case 'string':
    case 'corelnk':
      return decodeUtf8(bytes, `${formatPath(path)}: string`);
    case 'integer':
    case 'time':
      return readInteger(bytes, true, path);
    case 'unsigned':
      return readInteger(bytes, false, path);
    case 'float':
      if (bytes.length === 4) return bytes.readFloatBE(0);
      if (bytes.length === 8) return bytes.readDoubleBE(0);
      throw invalidLength('float', bytes, path);
    case 'boolean':
      if (bytes.length !== 1) throw invalidLength('boolean', bytes, path);
      if (bytes[0] > 1) throw new Lwm2mDecodeError(`${formatPath(path)}: boolean byte ${bytes[0]} is neither 0 nor 1`);
      return bytes[0] === 1;
    case 'objlnk':
      if (bytes.length !== 4) throw invalidLength('objlnk', bytes, path);
      return { objectId: bytes.readUInt16BE(0), instanceId: bytes.readUInt16BE(2) };
    default:
      // opaque, executable ('none') and unknown resources: raw bytes, never a guessed type
      return Buffer.from(bytes);
  }
}

function readInteger(bytes: Buffer, signed: boolean, path: Lwm2mPath): number | bigint {
  switch (bytes.length) {
    case 1:
    case 2:
    case 4:
      return signed ? bytes.readIntBE(0, bytes.length) : bytes.readUIntBE(0, bytes.length);
    case 8:
      return normalizeInteger(signed ? bytes.readBigInt64BE(0) : bytes.readBigUInt64BE(0));
    default:
      throw invalidLength(signed ? 'integer' : 'unsigned', bytes, path);
  }
}

function invalidLength(type: string, bytes: Buffer, path: Lwm2mPath): Lwm2mDecodeError {
  return new Lwm2mDecodeError(`${formatPath(path)}: ${bytes.length}-byte ${type} value (invalid length)`);
}

/** Encodes a value already checked against `type` (see encodingType); integers in the fewest of 1/2/4/8 bytes. */
export function encodeTlvValue(value: Lwm2mValue, type: ResourceType): Buffer {
  switch (type) {
    case 'string':
    case 'corelnk':
      return Buffer.from(value as string, 'utf8');
    case 'integer':
    case 'time':
      return writeInteger(BigInt(value as number | bigint), true);
    case 'unsigned':
      return writeInteger(BigInt(value as number | bigint), false);
    case 'float':
      return writeFloat(Number(value));
    case 'boolean':
      return Buffer.of(value ? 1 : 0);
    case 'objlnk': {
      const link = value as ObjectLink;
      const bytes = Buffer.alloc(4);
      bytes.writeUInt16BE(link.objectId, 0);
      bytes.writeUInt16BE(link.instanceId, 2);
      return bytes;
    }
    case 'opaque':
      return value as Buffer;
    case 'none':
      return Buffer.alloc(0);
  }
}

function writeInteger(value: bigint, signed: boolean): Buffer {
  for (const width of [1, 2, 4]) {
    const bits = BigInt(width * 8);
    const fits = signed ? value >= -(1n << (bits - 1n)) && value < 1n << (bits - 1n) : value < 1n << bits;
    if (fits) {
      const bytes = Buffer.alloc(width);
      if (signed) bytes.writeIntBE(Number(value), 0, width);
      else bytes.writeUIntBE(Number(value), 0, width);
      return bytes;
    }
  }
  const bytes = Buffer.alloc(8);
  if (signed) bytes.writeBigInt64BE(value);
  else bytes.writeBigUInt64BE(value);
  return bytes;
}

function writeFloat(value: number): Buffer {
  const single = Math.fround(value) === value || Number.isNaN(value);
  const bytes = Buffer.alloc(single ? 4 : 8);
  if (single) bytes.writeFloatBE(value);
  else bytes.writeDoubleBE(value);
  return bytes;
}

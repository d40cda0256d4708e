/** LwM2M TLV (11542, old 1542): object instance → (multiple) resource → resource instance, types from the object models. */
import type { FormatCodec } from './codec.js';
import { checkValueCount } from './limits.js';
import { checkDecodedPath, checkEncodedPath, formatPath, isWithin } from './path.js';
import { decodeTlvValue, encodeTlvValue } from './tlv-values.js';
import { encodingType } from './values.js';
import { Lwm2mDecodeError, Lwm2mEncodeError, type Lwm2mPath, type ResourceValue, type TypeResolver } from './model.js';

const enum Kind {
  ObjectInstance = 0,
  ResourceInstance = 1,
  MultipleResource = 2,
  Resource = 3,
}

const KIND_NAMES = ['object instance', 'resource instance', 'multiple resource', 'resource'];
const MAX_LENGTH = 0xffffff;

interface Tlv {
  kind: Kind;
  id: number;
  value: Buffer;
}

/** Splits a buffer into consecutive TLVs (one level, no nesting). */
function readTlvs(buffer: Buffer): Tlv[] {
  const tlvs: Tlv[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const type = buffer[offset];
    const idWidth = type & 0x20 ? 2 : 1;
    const lengthWidth = (type >> 3) & 3;
    const valueStart = offset + 1 + idWidth + lengthWidth;
    if (valueStart > buffer.length) throw new Lwm2mDecodeError(`TLV header at byte ${offset} is truncated`);
    const id = buffer.readUIntBE(offset + 1, idWidth);
    const length = lengthWidth === 0 ? type & 7 : buffer.readUIntBE(offset + 1 + idWidth, lengthWidth);
    const end = valueStart + length;
    if (end > buffer.length) {
      throw new Lwm2mDecodeError(`TLV at byte ${offset} declares ${length} value bytes, only ${buffer.length - valueStart} present`);
    }
    tlvs.push({ kind: type >> 6, id, value: buffer.subarray(valueStart, end) });
    offset = end;
  }
  return tlvs;
}

function decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  const values: ResourceValue[] = [];
  const emit = (path: Lwm2mPath, bytes: Buffer): void => {
    checkDecodedPath(path, requestPath);
    checkValueCount(values.length + 1);
    values.push({ path, value: decodeTlvValue(bytes, types(path[0], path[2]), path) });
  };
  // The request path supplies the IDs the outermost TLV does not carry.
  const outerParent = (kind: Kind): Lwm2mPath => {
    const needed = kind === Kind.ObjectInstance ? 1 : kind === Kind.ResourceInstance ? 3 : 2;
    if (requestPath.length < needed) {
      throw new Lwm2mDecodeError(`${KIND_NAMES[kind]} TLV cannot answer a request on ${formatPath(requestPath)}`);
    }
    return requestPath.slice(0, needed);
  };
  for (const tlv of readTlvs(payload)) {
    const parent = outerParent(tlv.kind);
    if (tlv.kind === Kind.ObjectInstance) {
      const instancePath = [...parent, tlv.id];
      if (!isWithin(instancePath, requestPath) && !isWithin(requestPath, instancePath)) {
        throw new Lwm2mDecodeError(`${formatPath(instancePath)} lies outside the requested ${formatPath(requestPath)}`);
      }
      for (const inner of readTlvs(tlv.value)) decodeResource(inner, instancePath, emit);
    } else {
      decodeResource(tlv, parent, emit);
    }
  }
  return values;
}

function decodeResource(tlv: Tlv, parent: Lwm2mPath, emit: (path: Lwm2mPath, bytes: Buffer) => void): void {
  const path = [...parent, tlv.id];
  const expected = parent.length === 2 ? 'a resource or multiple resource' : 'a resource instance';
  if (parent.length === 2 && tlv.kind === Kind.Resource) return emit(path, tlv.value);
  if (parent.length === 3 && tlv.kind === Kind.ResourceInstance) return emit(path, tlv.value);
  if (parent.length === 2 && tlv.kind === Kind.MultipleResource) {
    for (const inner of readTlvs(tlv.value)) decodeResource(inner, path, emit);
    return;
  }
  throw new Lwm2mDecodeError(`${KIND_NAMES[tlv.kind]} TLV ${tlv.id} inside ${formatPath(parent)} where ${expected} is expected`);
}

function header(kind: Kind, id: number, length: number): Buffer {
  if (length > MAX_LENGTH) throw new Lwm2mEncodeError(`TLV value of ${length} bytes exceeds the 24-bit length field`);
  const idWidth = id > 0xff ? 2 : 1;
  const lengthWidth = length < 8 ? 0 : length <= 0xff ? 1 : length <= 0xffff ? 2 : 3;
  const bytes = Buffer.alloc(1 + idWidth + lengthWidth);
  bytes[0] = (kind << 6) | (idWidth === 2 ? 0x20 : 0) | (lengthWidth << 3) | (lengthWidth === 0 ? length : 0);
  bytes.writeUIntBE(id, 1, idWidth);
  if (lengthWidth > 0) bytes.writeUIntBE(length, 1 + idWidth, lengthWidth);
  return bytes;
}

function tlv(kind: Kind, id: number, value: Buffer): Buffer {
  return Buffer.concat([header(kind, id, value.length), value]);
}

/** Groups values by the path segment at `depth`, keeping first-appearance order. */
function groupBy(values: ResourceValue[], depth: number): Map<number, ResourceValue[]> {
  const groups = new Map<number, ResourceValue[]>();
  for (const value of values) {
    const group = groups.get(value.path[depth]);
    if (group) group.push(value);
    else groups.set(value.path[depth], [value]);
  }
  return groups;
}

function encodeValue(entry: ResourceValue, types: TypeResolver): Buffer {
  return encodeTlvValue(entry.value, encodingType(entry, types));
}

/** Resource TLVs of one instance; resource-instance values are always wrapped in a multiple resource TLV. */
function encodeResources(values: ResourceValue[], types: TypeResolver): Buffer[] {
  return [...groupBy(values, 2)].map(([rid, group]) => {
    if (group.every((entry) => entry.path.length === 4)) {
      return tlv(Kind.MultipleResource, rid, Buffer.concat(encodeResourceInstances(group, types)));
    }
    if (group.length > 1) throw new Lwm2mEncodeError(`${formatPath(group[0].path)} given more than once or mixed with its instances`);
    return tlv(Kind.Resource, rid, encodeValue(group[0], types));
  });
}

function encodeResourceInstances(values: ResourceValue[], types: TypeResolver): Buffer[] {
  return [...groupBy(values, 3)].map(([riid, group]) => {
    if (group.length > 1) throw new Lwm2mEncodeError(`${formatPath(group[0].path)} given more than once`);
    return tlv(Kind.ResourceInstance, riid, encodeValue(group[0], types));
  });
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  for (const { path } of values) checkEncodedPath(path, requestPath);
  switch (requestPath.length) {
    case 1:
      return Buffer.concat(
        [...groupBy(values, 1)].map(([iid, group]) => tlv(Kind.ObjectInstance, iid, Buffer.concat(encodeResources(group, types)))),
      );
    case 2:
    case 3:
      return Buffer.concat(encodeResources(values, types));
    case 4:
      return Buffer.concat(encodeResourceInstances(values, types));
    default:
      throw new Lwm2mEncodeError(`TLV cannot address ${formatPath(requestPath)}`);
  }
}

export const tlvCodec: FormatCodec = { multiValue: true, decode, encode };

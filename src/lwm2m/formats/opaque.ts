/** Opaque (42, old 1544): the raw bytes of one resource. */
import type { FormatCodec } from './codec.js';
import { formatPath } from './path.js';
import { checkSingleValueTarget, singleValue } from './single-value.js';
import { Lwm2mEncodeError, type Lwm2mPath, type ResourceValue, type TypeResolver } from './model.js';

function decode(payload: Buffer, requestPath: Lwm2mPath): ResourceValue[] {
  checkSingleValueTarget(requestPath, 'opaque');
  return [{ path: requestPath, value: Buffer.from(payload) }];
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  const { path, value } = singleValue(values, requestPath, 'opaque');
  const type = types(path[0], path[2]);
  if (!Buffer.isBuffer(value) || (type !== undefined && type !== 'opaque')) {
    throw new Lwm2mEncodeError(`opaque carries only bytes of opaque resources, not ${formatPath(path)} (${type ?? typeof value})`);
  }
  return value;
}

export const opaqueCodec: FormatCodec = { multiValue: false, decode, encode };

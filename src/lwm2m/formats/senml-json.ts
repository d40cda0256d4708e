/** SenML JSON (110): an array of records; opaque values travel as base64url in `vd`. */
import type { FormatCodec } from './codec.js';
import { isPlainObject, jsonObject, parseJson, type JsonScalar } from './json-text.js';
import { recordsToValues, valuesToRecords, type SenmlRecord } from './senml.js';
import { decodeBase64 } from './values.js';
import { Lwm2mDecodeError, type Lwm2mPath, type ResourceValue, type TypeResolver } from './model.js';

const FIELD_KINDS: Record<string, 'string' | 'number' | 'boolean'> = {
  bn: 'string',
  bt: 'number',
  bv: 'number',
  bver: 'number',
  n: 'string',
  t: 'number',
  v: 'number',
  vs: 'string',
  vb: 'boolean',
  vd: 'string',
  vlo: 'string',
};

function toRecord(raw: unknown, index: number): SenmlRecord {
  if (!isPlainObject(raw)) throw new Lwm2mDecodeError(`SenML JSON record ${index} is not an object`);
  for (const [field, value] of Object.entries(raw)) {
    if (field.endsWith('_')) throw new Lwm2mDecodeError(`SenML JSON record ${index}: must-understand field "${field}" is not supported`);
    const kind = FIELD_KINDS[field];
    if (kind !== undefined && typeof value !== kind) {
      throw new Lwm2mDecodeError(`SenML JSON record ${index}: field "${field}" must be a ${kind}`);
    }
  }
  const { bn, bt, bv, n, t, v, vs, vb, vd, vlo } = raw as Omit<SenmlRecord, 'vd'> & { vd?: string };
  const record: SenmlRecord = { bn, bt, bv, n, t, v, vs, vb, vlo };
  if (vd !== undefined) record.vd = decodeBase64(vd, `SenML JSON record ${index} vd`);
  return record;
}

function decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  const parsed = parseJson(payload, 'SenML JSON');
  if (!Array.isArray(parsed)) throw new Lwm2mDecodeError('SenML JSON payload must be an array of records');
  return recordsToValues(parsed.map(toRecord), requestPath, types);
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  const records = valuesToRecords(values, requestPath, types).map((record) =>
    jsonObject(
      Object.entries(record)
        .filter(([, value]) => value !== undefined)
        .map(([field, value]): [string, JsonScalar] => [field, Buffer.isBuffer(value) ? value.toString('base64url') : value]),
    ),
  );
  return Buffer.from(`[${records.join(',')}]`, 'utf8');
}

export const senmlJsonCodec: FormatCodec = { multiValue: true, decode, encode };

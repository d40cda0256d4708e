/** SenML CBOR (112): an array of maps with RFC 8428 integer labels; LwM2M adds the text label `vlo`. */
import type { FormatCodec } from './codec.js';
import { decodeCbor, encodeCbor, isCborNumber } from './cbor.js';
import { recordsToValues, valuesToRecords, type SenmlRecord } from './senml.js';
import { Lwm2mDecodeError, type Lwm2mPath, type ResourceValue, type TypeResolver } from './model.js';

type Field = keyof SenmlRecord;

const LABELS: ReadonlyMap<number | string, Field> = new Map<number | string, Field>([
  [-2, 'bn'],
  [-3, 'bt'],
  [-5, 'bv'],
  [0, 'n'],
  [2, 'v'],
  [3, 'vs'],
  [4, 'vb'],
  [6, 't'],
  [8, 'vd'],
  ['vlo', 'vlo'],
]);
const FIELD_LABELS = new Map([...LABELS].map(([label, field]) => [field, label]));

const CHECKS: Record<Field, (value: unknown) => boolean> = {
  bn: (value) => typeof value === 'string',
  n: (value) => typeof value === 'string',
  vs: (value) => typeof value === 'string',
  vlo: (value) => typeof value === 'string',
  vb: (value) => typeof value === 'boolean',
  vd: (value) => Buffer.isBuffer(value),
  v: isCborNumber,
  bt: isCborNumber,
  bv: isCborNumber,
  t: isCborNumber,
};

function toRecord(raw: unknown, index: number): SenmlRecord {
  if (!(raw instanceof Map)) throw new Lwm2mDecodeError(`SenML CBOR record ${index} is not a map`);
  const record: Record<string, unknown> = {};
  for (const [label, value] of raw) {
    if (typeof label === 'string' && label.endsWith('_')) {
      throw new Lwm2mDecodeError(`SenML CBOR record ${index}: must-understand label "${label}" is not supported`);
    }
    const field = LABELS.get(label);
    if (field === undefined) continue;
    if (!CHECKS[field](value)) throw new Lwm2mDecodeError(`SenML CBOR record ${index}: label ${String(label)} (${field}) has the wrong type`);
    // times and base values are plain numbers; only `v` keeps 64-bit precision
    record[field] = typeof value === 'bigint' && field !== 'v' ? Number(value) : value;
  }
  return record as SenmlRecord;
}

function decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  const parsed = decodeCbor(payload, 'SenML CBOR');
  if (!Array.isArray(parsed)) throw new Lwm2mDecodeError('SenML CBOR payload must be an array of records');
  return recordsToValues(parsed.map(toRecord), requestPath, types);
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  const records = valuesToRecords(values, requestPath, types).map(
    (record) => new Map(Object.entries(record).filter(([, value]) => value !== undefined).map(([field, value]) => [FIELD_LABELS.get(field as Field), value])),
  );
  return encodeCbor(records);
}

export const senmlCborCodec: FormatCodec = { multiValue: true, decode, encode };

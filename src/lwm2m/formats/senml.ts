/** SenML (RFC 8428) records as LwM2M uses them, shared by the JSON (110) and CBOR (112) codecs. */
import { checkValueCount } from './limits.js';
import { baseNaming, checkDecodedPath, checkEncodedPath, formatPath, parsePath } from './path.js';
import { encodingType, formatObjectLink, parseObjectLink, typedNumber } from './values.js';
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

/** One record with the fields LwM2M uses; wire codecs check the field types before building it. */
export interface SenmlRecord {
  bn?: string;
  bt?: number;
  bv?: number;
  n?: string;
  t?: number;
  v?: number | bigint;
  vs?: string;
  vb?: boolean;
  vd?: Buffer;
  vlo?: string;
}

const VALUE_FIELDS = ['v', 'vs', 'vb', 'vd', 'vlo'] as const;

/** Resolves base name / base time / base value and turns records into values inside `requestPath`. */
export function recordsToValues(records: SenmlRecord[], requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  checkValueCount(records.length);
  let baseName = '';
  let baseTime: number | undefined;
  let baseValue: number | undefined;
  return records.map((record, index) => {
    if (record.bn !== undefined) baseName = record.bn;
    if (record.bt !== undefined) baseTime = record.bt;
    if (record.bv !== undefined) baseValue = record.bv;
    const name = baseName + (record.n ?? '');
    const path = parsePath(name);
    if (!path) throw new Lwm2mDecodeError(`record ${index}: name ${JSON.stringify(name.slice(0, 80))} is not an LwM2M path`);
    checkDecodedPath(path, requestPath);
    const present = VALUE_FIELDS.filter((field) => record[field] !== undefined);
    if (present.length !== 1) throw new Lwm2mDecodeError(`record ${index} (${name}) must carry exactly one value, has ${present.length}`);
    const value = recordValue(record, present[0], baseValue, types(path[0], path[2]), path);
    const entry: ResourceValue = { path, value };
    if (baseTime !== undefined || record.t !== undefined) entry.time = (baseTime ?? 0) + (record.t ?? 0);
    return entry;
  });
}

const FIELD_TYPES: Record<(typeof VALUE_FIELDS)[number], readonly ResourceType[]> = {
  v: ['integer', 'unsigned', 'float', 'time'],
  vs: ['string', 'corelnk'],
  vb: ['boolean'],
  vd: ['opaque'],
  vlo: ['objlnk'],
};

function recordValue(
  record: SenmlRecord,
  field: (typeof VALUE_FIELDS)[number],
  baseValue: number | undefined,
  type: ResourceType | undefined,
  path: Lwm2mPath,
): Lwm2mValue {
  if (type !== undefined && type !== 'none' && !FIELD_TYPES[field].includes(type)) {
    throw new Lwm2mDecodeError(`${formatPath(path)}: ${type} resource carried in "${field}"`);
  }
  switch (field) {
    case 'v': {
      const v = record.v!;
      const sum = baseValue === undefined ? v : typeof v === 'bigint' ? Number(v) + baseValue : v + baseValue;
      return typedNumber(sum, type, path);
    }
    case 'vlo':
      return parseObjectLink(record.vlo!);
    default:
      return record[field]!;
  }
}

/** Records for values inside `requestPath`; the first carries the base name. */
export function valuesToRecords(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): SenmlRecord[] {
  const naming = baseNaming(values, requestPath);
  return values.map((entry, index) => {
    checkEncodedPath(entry.path, requestPath);
    const record: SenmlRecord = index === 0 ? { bn: naming.baseName } : {};
    const name = naming.relativeName(entry.path);
    if (name !== undefined) record.n = name;
    if (entry.time !== undefined) record.t = entry.time;
    setRecordValue(record, entry, types);
    return record;
  });
}

function setRecordValue(record: SenmlRecord, entry: ResourceValue, types: TypeResolver): void {
  const type = encodingType(entry, types);
  const value = entry.value;
  switch (type) {
    case 'string':
    case 'corelnk':
      record.vs = value as string;
      return;
    case 'boolean':
      record.vb = value as boolean;
      return;
    case 'opaque':
      record.vd = value as Buffer;
      return;
    case 'objlnk':
      record.vlo = formatObjectLink(value as ObjectLink);
      return;
    case 'none':
      throw new Lwm2mEncodeError(`${formatPath(entry.path)} is executable and has no value`);
    default:
      record.v = type === 'float' ? Number(value) : (value as number | bigint);
  }
}

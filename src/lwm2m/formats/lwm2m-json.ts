/**
 * Legacy LwM2M JSON (11543, old 1543): `{"bn":"/3/0/","bt":..,"e":[{"n":"0","sv":".."},{"n":"6/0","v":1}]}`.
 * Values: `v` number, `sv` string (base64 for opaque), `bv` boolean, `ov` object link `oid:iid`.
 * Without `bn`, names are relative to the request path (or absolute when they start with `/`).
 */
import type { FormatCodec } from './codec.js';
import { isPlainObject, jsonObject, parseJson, type JsonScalar } from './json-text.js';
import { checkValueCount } from './limits.js';
import { baseNaming, checkDecodedPath, checkEncodedPath, formatPath, parsePath } from './path.js';
import { decodeBase64, encodingType, formatObjectLink, parseObjectLink, typedNumber } from './values.js';
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

const VALUE_FIELDS = { v: 'number', sv: 'string', bv: 'boolean', ov: 'string' } as const;
type ValueField = keyof typeof VALUE_FIELDS;

const FIELD_TYPES: Record<ValueField, readonly ResourceType[]> = {
  v: ['integer', 'unsigned', 'float', 'time'],
  sv: ['string', 'corelnk', 'opaque'],
  bv: ['boolean'],
  ov: ['objlnk'],
};

function entryName(baseName: string | undefined, name: string | undefined, requestPath: Lwm2mPath): string {
  if (baseName !== undefined) return baseName + (name ?? '');
  if (name === undefined || name === '') return formatPath(requestPath);
  if (name.startsWith('/')) return name;
  return (requestPath.length > 0 ? formatPath(requestPath) + '/' : '/') + name;
}

function entryValue(entry: Record<string, unknown>, index: number, type: ResourceType | undefined, path: Lwm2mPath): Lwm2mValue {
  const present = (Object.keys(VALUE_FIELDS) as ValueField[]).filter((field) => entry[field] !== undefined);
  if (present.length !== 1) throw new Lwm2mDecodeError(`LwM2M JSON entry ${index} must carry exactly one value, has ${present.length}`);
  const field = present[0];
  const raw = entry[field];
  if (typeof raw !== VALUE_FIELDS[field]) throw new Lwm2mDecodeError(`LwM2M JSON entry ${index}: "${field}" must be a ${VALUE_FIELDS[field]}`);
  if (type !== undefined && type !== 'none' && !FIELD_TYPES[field].includes(type)) {
    throw new Lwm2mDecodeError(`${formatPath(path)}: ${type} resource carried in "${field}"`);
  }
  switch (field) {
    case 'v':
      return typedNumber(raw as number, type, path);
    case 'ov':
      return parseObjectLink(raw as string);
    case 'sv':
      return type === 'opaque' ? decodeBase64(raw as string, formatPath(path)) : (raw as string);
    default:
      return raw as boolean;
  }
}

function decode(payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  const parsed = parseJson(payload, 'LwM2M JSON');
  if (!isPlainObject(parsed) || !Array.isArray(parsed.e)) throw new Lwm2mDecodeError('LwM2M JSON payload must be an object with an "e" array');
  checkValueCount(parsed.e.length);
  const { bn, bt } = parsed;
  if (bn !== undefined && typeof bn !== 'string') throw new Lwm2mDecodeError('LwM2M JSON "bn" must be a string');
  if (bt !== undefined && typeof bt !== 'number') throw new Lwm2mDecodeError('LwM2M JSON "bt" must be a number');
  return parsed.e.map((entry: unknown, index: number): ResourceValue => {
    if (!isPlainObject(entry)) throw new Lwm2mDecodeError(`LwM2M JSON entry ${index} is not an object`);
    const { n, t } = entry;
    if (n !== undefined && typeof n !== 'string') throw new Lwm2mDecodeError(`LwM2M JSON entry ${index}: "n" must be a string`);
    if (t !== undefined && typeof t !== 'number') throw new Lwm2mDecodeError(`LwM2M JSON entry ${index}: "t" must be a number`);
    const name = entryName(bn, n, requestPath);
    const path = parsePath(name);
    if (!path) throw new Lwm2mDecodeError(`LwM2M JSON entry ${index}: name ${JSON.stringify(name.slice(0, 80))} is not an LwM2M path`);
    checkDecodedPath(path, requestPath);
    const result: ResourceValue = { path, value: entryValue(entry, index, types(path[0], path[2]), path) };
    if (bt !== undefined || t !== undefined) result.time = (bt ?? 0) + (t ?? 0);
    return result;
  });
}

function entryMembers(entry: ResourceValue, types: TypeResolver): [string, JsonScalar][] {
  const value = entry.value;
  switch (encodingType(entry, types)) {
    case 'string':
    case 'corelnk':
      return [['sv', value as string]];
    case 'opaque':
      return [['sv', (value as Buffer).toString('base64')]];
    case 'boolean':
      return [['bv', value as boolean]];
    case 'objlnk':
      return [['ov', formatObjectLink(value as ObjectLink)]];
    case 'none':
      throw new Lwm2mEncodeError(`${formatPath(entry.path)} is executable and has no value`);
    default:
      return [['v', value as number | bigint]];
  }
}

function encode(values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  for (const { path } of values) checkEncodedPath(path, requestPath);
  const naming = baseNaming(values, requestPath);
  const entries = values.map((entry) => {
    const name = naming.relativeName(entry.path);
    const members: [string, JsonScalar][] = name === undefined ? [] : [['n', name]];
    members.push(...entryMembers(entry, types));
    if (entry.time !== undefined) members.push(['t', entry.time]);
    return jsonObject(members);
  });
  return Buffer.from(jsonObject([['bn', naming.baseName], ['e', { json: `[${entries.join(',')}]` }]]), 'utf8');
}

export const lwm2mJsonCodec: FormatCodec = { multiValue: true, decode, encode };

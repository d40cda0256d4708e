import type { LeftOutAttribute } from '../../core/device-adapter.js';
import type { ConverterRegistry, Lwm2mAttributeMapping, Lwm2mMgmtObjMapping } from '../../mappings/types.js';
import type { Lwm2mValue, ResourceType, ResourceValue } from '../formats/model.js';
import { RequestRefusedError } from './errors.js';
import type { InstanceRef } from './object-path.js';

type DeviceValue = Lwm2mValue | Lwm2mValue[];

/** Attributes converted from device values, and those left out because the device's value does not convert. */
export interface DeviceAttributes {
  attributes: Record<string, unknown>;
  leftOut: LeftOutAttribute[];
}

/** Values of one instance by resource ID: a single resource as its value, a multiple resource as an array in instance order. */
export function valuesByResource(values: readonly ResourceValue[], instance: InstanceRef): Map<number, DeviceValue> {
  const single = new Map<number, Lwm2mValue>();
  const multiple = new Map<number, [number, Lwm2mValue][]>();
  for (const { path, value } of values) {
    if (path[0] !== instance.objectId || path[1] !== instance.instanceId || path[2] === undefined) continue;
    if (path.length === 3) single.set(path[2], value);
    else {
      const list = multiple.get(path[2]) ?? [];
      list.push([path[3], value]);
      multiple.set(path[2], list);
    }
  }
  const grouped = new Map<number, DeviceValue>(single);
  for (const [resourceId, list] of multiple) grouped.set(resourceId, list.sort((a, b) => a[0] - b[0]).map(([, value]) => value));
  return grouped;
}

/** Device values a oneM2M representation can carry: JSON numbers, strings, booleans and arrays of them. */
function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object' && 'objectId' in value && 'instanceId' in value) return `${value.objectId}:${value.instanceId}`;
  return value;
}

/** The device's value (one input) or values (several) as short JSON. */
function describe(values: unknown[]): string {
  return JSON.stringify(toJsonValue(values.length === 1 ? values[0] : values)).slice(0, 80);
}

/**
 * The readable attributes of a mgmtObj from the decoded values of its instance (converters apply units and enumerations).
 * Attributes whose resources the device did not report stay absent (also when only some of a converter's inputs came).
 * A reported value that does not convert (device garbage) leaves only its attribute out, with the reason in `leftOut`.
 */
export function attributesFromDevice(
  mapping: Lwm2mMgmtObjMapping,
  grouped: ReadonlyMap<number, DeviceValue>,
  converters: ConverterRegistry,
  wanted?: ReadonlySet<string>,
): DeviceAttributes {
  const attributes: Record<string, unknown> = {};
  const leftOut: LeftOutAttribute[] = [];
  for (const attribute of readableAttributes(mapping, wanted)) {
    const values = attribute.resources.map((resourceId) => grouped.get(resourceId));
    if (values.every((value) => value === undefined)) continue;
    const converted = converters.fromDevice(attribute.converter, values, attribute.attribute);
    if (converted !== undefined) attributes[attribute.attribute] = toJsonValue(converted);
    else if (values.every((value) => value !== undefined)) {
      leftOut.push({
        attribute: attribute.attribute,
        reason: `${describe(values)} from resource${attribute.resources.length > 1 ? 's' : ''} ${attribute.resources.join(', ')} is no valid "${attribute.attribute}"`,
      });
    }
  }
  return { attributes, leftOut };
}

/** Per mapping, by its attribute list (frozen once loaded: a reloaded table brings new lists). */
const readableOf = new WeakMap<readonly Lwm2mAttributeMapping[], readonly Lwm2mAttributeMapping[]>();

/** Attributes that are read from the device (executable ones only trigger actions), optionally limited to a partial-retrieve list. */
export function readableAttributes(mapping: Lwm2mMgmtObjMapping, wanted?: ReadonlySet<string>): readonly Lwm2mAttributeMapping[] {
  if (wanted) return mapping.attributes.filter((attribute) => !attribute.executable && wanted.has(attribute.attribute));
  let readable = readableOf.get(mapping.attributes);
  if (readable === undefined) {
    readable = mapping.attributes.filter((attribute) => !attribute.executable);
    if (Object.isFrozen(mapping.attributes)) readableOf.set(mapping.attributes, readable);
  }
  return readable;
}

function integer(value: unknown): number | bigint {
  if (typeof value === 'bigint') return value;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  throw new Error(`expected an integer, got ${JSON.stringify(value)}`);
}

/** A oneM2M value, already through its converter, as the typed value of an LwM2M resource. Throws Error with a reason. */
export function coerceToResource(value: unknown, type: ResourceType | undefined): Lwm2mValue {
  switch (type) {
    case 'string':
    case 'corelnk':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      break;
    case 'integer':
    case 'time':
      return integer(value);
    case 'unsigned': {
      const number = integer(value);
      if (number >= 0) return number;
      break;
    }
    case 'float': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
      break;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 1) return true;
      if (value === 'false' || value === 0) return false;
      break;
    case 'opaque':
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      break;
    case 'objlnk': {
      const match = typeof value === 'string' ? /^(\d{1,5}):(\d{1,5})$/.exec(value) : null;
      if (match) return { objectId: Number(match[1]), instanceId: Number(match[2]) };
      break;
    }
    case undefined:
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      break;
    case 'none':
      break;
  }
  throw new Error(`${JSON.stringify(value)} is not a valid ${type ?? 'resource'} value`);
}

/** A oneM2M attribute value as the value of the resource it is written to; refused (4000) when it does not fit. */
export function toResourceValue(
  attribute: Lwm2mAttributeMapping,
  value: unknown,
  path: string,
  converters: ConverterRegistry,
  type: ResourceType | undefined,
): Lwm2mValue {
  const refuse = (reason: string) => new RequestRefusedError('invalid-value', `"${attribute.attribute}" cannot be written to ${path}: ${reason}`);
  const deviceValue = converters.toDevice(attribute.converter, value, attribute.attribute);
  if (deviceValue === undefined) throw refuse(`${JSON.stringify(value)} has no device value${attribute.converter ? ` (converter ${attribute.converter})` : ''}`);
  try {
    return coerceToResource(deviceValue, type);
  } catch (error) {
    throw refuse((error as Error).message);
  }
}

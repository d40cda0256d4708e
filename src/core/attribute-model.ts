/** Types of the attribute dictionary and the compact builders its tables are written with. */
export type AttributeKind =
  | 'string' | 'integer' | 'boolean' | 'timestamp' | 'anyURI' | 'ipv4Address' | 'ipv6Address' | 'list' | 'object' | 'any';

export interface AttributeInfo {
  short: string;
  long: string;
  kind: AttributeKind;
  /** Element kind for lists. */
  itemKind?: AttributeKind;
  /** Members of an `object` (or of the objects in a list of objects), e.g. actionStatus `acn`/`sus`. */
  fields?: readonly AttributeInfo[];
  /** Allowed values of an enumerated integer. */
  values?: readonly number[];
  minimum?: number;
  maximum?: number;
  /** A list that must hold at least this many items when present (1: an empty list is refused). */
  minItems?: number;
  /** An object (or each object of a list) must carry at least this many of its `fields`. */
  minFields?: number;
  /**
   * A list of simple values that XML carries as one element per item (the schema's maxOccurs, e.g. `sce` schedule
   * entries, which hold spaces) instead of one space-separated xs:list.
   */
  repeatedElements?: boolean;
}

/** Request optionality (TS-0004): M mandatory, O optional, NP not present. */
export type CreateOptionality = 'M' | 'O' | 'NP';
export type UpdateOptionality = 'O' | 'NP';

export interface AttributeSpec extends AttributeInfo {
  create: CreateOptionality;
  update: UpdateOptionality;
  /** Set by the hosting CSE only (ty, ri, pi, ct, lt, ...). */
  readOnly: boolean;
  /** Writing `true` in an Update triggers an action on the device. */
  executable: boolean;
}

type Optionality = `${CreateOptionality}/${UpdateOptionality}`;
export type Shape = Pick<AttributeInfo, 'kind' | 'itemKind' | 'fields' | 'values' | 'minimum' | 'maximum' | 'minItems' | 'minFields' | 'repeatedElements'>;

export const str: Shape = { kind: 'string' };
export const int: Shape = { kind: 'integer' };
export const uint: Shape = { kind: 'integer', minimum: 0 };
/** xs:positiveInteger. */
export const positiveInt: Shape = { kind: 'integer', minimum: 1 };
export const bool: Shape = { kind: 'boolean' };
export const time: Shape = { kind: 'timestamp' };
export const uri: Shape = { kind: 'anyURI' };
export const strList: Shape = { kind: 'list', itemKind: 'string' };
export const uriList: Shape = { kind: 'list', itemKind: 'anyURI' };
export const intList: Shape = { kind: 'list', itemKind: 'integer' };
export const boolList: Shape = { kind: 'list', itemKind: 'boolean' };
export const anyObject: Shape = { kind: 'object' };
/** xs:anyType: whatever JSON value the client sends (XML: text, or child elements). */
export const anyValue: Shape = { kind: 'any' };

/** A list of objects with these members. */
export function listOf(...fields: AttributeInfo[]): Shape {
  return { kind: 'list', itemKind: 'object', fields };
}

/** An object with these members. */
export function objectOf(...fields: AttributeInfo[]): Shape {
  return { kind: 'object', fields };
}

/** A list that, when present, names at least one item (an empty one says nothing the absent attribute would not). */
export function nonEmpty(list: Shape): Shape {
  return { ...list, minItems: 1 };
}

export function enumOf(...values: number[]): Shape {
  return { kind: 'integer', values };
}

export function range(minimum: number, maximum: number): Shape {
  return { kind: 'integer', minimum, maximum };
}

export function field(short: string, long: string, shape: Shape): AttributeInfo {
  return { short, long, ...shape };
}

/** m2m:status (TS-0004 §6.3.4.2.21): 0 Uninitialized, 1 Successful, 2 Failure, 3 In_Process. */
export const actionStatus: Shape = {
  kind: 'object',
  fields: [field('acn', 'action', uri), field('sus', 'status', enumOf(0, 1, 2, 3))],
};

/**
 * A list of m2m:ipAddress (TS-0004 complex type: `ip4` ipv4Address, `ip6` ipv6Address, each 0..1): every member names
 * one address at least, in the text form of its version.
 */
export const ipAddressList: Shape = {
  kind: 'list',
  itemKind: 'object',
  fields: [field('ip4', 'ipv4Address', { kind: 'ipv4Address' }), field('ip6', 'ipv6Address', { kind: 'ipv6Address' })],
  minFields: 1,
};

export const mgmtLinkRefList: Shape = listOf(field('nm', 'name', str), field('typ', 'type', int), field('val', 'value', uri));

/** An attribute a client may send with the given optionality. */
export function attr(short: string, long: string, shape: Shape, optionality: Optionality, executable = false): AttributeSpec {
  const [create, update] = optionality.split('/') as [CreateOptionality, UpdateOptionality];
  return { short, long, ...shape, create, update, readOnly: false, executable };
}

/** An attribute only the hosting CSE sets. */
export function readOnly(short: string, long: string, shape: Shape): AttributeSpec {
  return { short, long, ...shape, create: 'NP', update: 'NP', readOnly: true, executable: false };
}

/** An executable attribute (boolean; `true` in an Update runs the action). */
export function exec(short: string, long: string, optionality: Optionality): AttributeSpec {
  return attr(short, long, bool, optionality, true);
}

/** A `<mgmtObj>` specialization's own definition (reference/onem2m.md §3.2–3.4). */
export interface SpecializationDefinition {
  /** Long name, used in `mgmtObj` naming and by the adapters: firmware, software, ... */
  type: string;
  mgd: number;
  rootKey: string;
  /** Its own attributes; one named like a common mgmtObj attribute (`cmlk`) replaces that one's optionality. */
  attributes: readonly AttributeSpec[];
  /** Executable attributes that must not both be true in one Update (TS-0004 §7.4.15.2.4). */
  conflicts: ReadonlyArray<readonly [string, string]>;
}

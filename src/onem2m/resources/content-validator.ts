/** ajv schemas generated from the attribute dictionary, one per resource type × {create, update}, compiled once at start-up. */
import { isIPv4, isIPv6 } from 'node:net';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { MGMT_OBJ_SPECS, NODE_SPEC, RESOURCE_TYPE, type MgmtObjSpec, type ResourceTypeSpec } from '../../core/attribute-dictionary.js';
import type { AttributeInfo, AttributeKind, AttributeSpec } from '../../core/attribute-model.js';

export type ContentOperation = 'create' | 'update';

const TIMESTAMP_PATTERN = '^\\d{8}T\\d{6}(,\\d{1,6})?$';
/** Same character set as the node naming contract, so every name is a safe path segment. */
const RESOURCE_NAME_PATTERN = '^(?!\\.+$)[A-Za-z0-9._~:-]+$';

function kindSchema(kind: AttributeKind, info: AttributeInfo): SchemaObject {
  switch (kind) {
    case 'string':
    case 'anyURI':
      return { type: 'string' };
    case 'timestamp':
      return { type: 'string', pattern: TIMESTAMP_PATTERN };
    case 'ipv4Address':
    case 'ipv6Address':
      return { type: 'string', format: kind };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer': {
      const schema: SchemaObject = { type: 'integer' };
      if (info.values) schema.enum = [...info.values];
      if (info.minimum !== undefined) schema.minimum = info.minimum;
      if (info.maximum !== undefined) schema.maximum = info.maximum;
      return schema;
    }
    case 'object': {
      if (!info.fields) return { type: 'object' };
      const schema: SchemaObject = {
        type: 'object', properties: Object.fromEntries(info.fields.map((f) => [f.short, attributeSchema(f)])), additionalProperties: false,
      };
      if (info.minFields !== undefined) schema.minProperties = info.minFields;
      return schema;
    }
    case 'list': {
      const schema: SchemaObject = { type: 'array', items: kindSchema(info.itemKind ?? 'any', info) };
      if (info.minItems !== undefined) schema.minItems = info.minItems;
      return schema;
    }
    case 'any':
      return {};
  }
}

function attributeSchema(info: AttributeInfo): SchemaObject {
  return kindSchema(info.kind, info);
}

function isAllowed(attribute: AttributeSpec, operation: ContentOperation): boolean {
  if (attribute.readOnly) return false;
  return operation === 'create' ? attribute.create !== 'NP' : attribute.update === 'O';
}

function buildSchema(spec: ResourceTypeSpec, operation: ContentOperation): SchemaObject {
  const allowed = spec.attributes.filter((a) => isAllowed(a, operation));
  const properties: Record<string, SchemaObject> = Object.fromEntries(allowed.map((a) => [a.short, attributeSchema(a)]));
  if (properties.rn) properties.rn = { type: 'string', pattern: RESOURCE_NAME_PATTERN };
  if (operation === 'create' && spec.ty === RESOURCE_TYPE.mgmtObj) properties.mgd = { const: (spec as MgmtObjSpec).mgd };
  const schema: SchemaObject = {
    type: 'object',
    properties,
    required: operation === 'create' ? allowed.filter((a) => a.create === 'M').map((a) => a.short) : [],
    additionalProperties: false,
  };
  const conflicts = operation === 'update' && spec.ty === RESOURCE_TYPE.mgmtObj ? (spec as MgmtObjSpec).conflicts : [];
  if (conflicts.length > 0) {
    schema.allOf = conflicts.map(([a, b]) => ({ not: { required: [a, b], properties: { [a]: { const: true }, [b]: { const: true } } } }));
  }
  return schema;
}

const ajv = new Ajv({ allErrors: false, strict: true });
// Node's own address parsers: dotted-quad IPv4 (no leading zeros), IPv6 text forms (RFC 4291 §2.2).
ajv.addFormat('ipv4Address', (text: string) => isIPv4(text));
ajv.addFormat('ipv6Address', (text: string) => isIPv6(text));
const VALIDATORS = new Map<ResourceTypeSpec, Record<ContentOperation, ValidateFunction>>(
  [NODE_SPEC, ...MGMT_OBJ_SPECS].map((spec) => [
    spec,
    { create: ajv.compile(buildSchema(spec, 'create')), update: ajv.compile(buildSchema(spec, 'update')) },
  ]),
);

function describeUnexpected(spec: ResourceTypeSpec, operation: ContentOperation, name: string): string {
  const attribute = spec.byShort.get(name);
  if (!attribute) return `unknown attribute "${name}" for ${spec.rootKey}`;
  if (attribute.readOnly) return `attribute "${name}" (${attribute.long}) is read-only`;
  return `attribute "${name}" (${attribute.long}) is not permitted in ${operation === 'create' ? 'Create' : 'Update'} of ${spec.rootKey}`;
}

/** The member names of the object at `ipad/0` (the list's or object's attribute is the first path step). */
function fieldNames(spec: ResourceTypeSpec, at: string): string {
  return (spec.byShort.get(at.split('/')[0])?.fields ?? []).map((f) => f.short).join(', ');
}

function describe(spec: ResourceTypeSpec, operation: ContentOperation, error: ErrorObject): string {
  const at = error.instancePath.slice(1);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return at === ''
        ? describeUnexpected(spec, operation, String(params.additionalProperty))
        : `attribute "${at}" has an unknown member "${String(params.additionalProperty)}"`;
    case 'required':
      return at === ''
        ? `mandatory attribute "${String(params.missingProperty)}" (${spec.byShort.get(String(params.missingProperty))?.long}) is missing in ${spec.rootKey}`
        : `attribute "${at}" lacks member "${String(params.missingProperty)}"`;
    case 'not': {
      const index = Number(/allOf\/(\d+)\/not/.exec(error.schemaPath)?.[1]);
      const [a, b] = (spec as MgmtObjSpec).conflicts[index];
      return `attributes "${a}" and "${b}" must not both be true in one Update`;
    }
    case 'const':
      return `attribute "mgd" must be ${String(params.allowedValue)} for ${spec.rootKey}`;
    case 'enum':
      return `attribute "${at}" must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'minItems':
      return `attribute "${at}"${spec.byShort.has(at) ? ` (${spec.byShort.get(at)!.long})` : ''} must not be an empty list`;
    case 'format':
      return `attribute "${at}" must be ${params.format === 'ipv4Address' ? 'an IPv4 address in dotted form' : 'an IPv6 address'}`;
    case 'minProperties':
      return `attribute "${at}" must name at least one of ${fieldNames(spec, at)}`;
    case 'type':
      return at === '' ? `content of ${spec.rootKey} must be an object` : `attribute "${at}" must be ${String(params.type)}`;
    default:
      return `attribute "${at}" ${error.message ?? 'is invalid'}`;
  }
}

/** Throws 4000 with `m2m:dbg` naming the offending attribute when the content does not fit the resource type. */
export function validateContent(spec: ResourceTypeSpec, operation: ContentOperation, content: unknown): void {
  const validators = VALIDATORS.get(spec);
  if (!validators) throw new Error(`no ${operation} schema for ${spec.rootKey}`);
  const validate = validators[operation];
  if (!validate(content)) throw new RequestError(RSC.BAD_REQUEST, describe(spec, operation, validate.errors![0]));
}

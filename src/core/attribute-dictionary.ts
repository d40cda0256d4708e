/**
 * The one attribute dictionary: per resource type, each attribute's short and long name, type,
 * create/update optionality, read-only and executable flags. Validation schemas, the binding's XML
 * typing and the resource tree all read it.
 */
import {
  anyObject, attr, enumOf, int, intList, mgmtLinkRefList, nonEmpty, readOnly, str, strList, time, uri, uriList, bool,
  type AttributeInfo, type AttributeSpec,
} from './attribute-model.js';
import { SPECIALIZATIONS } from './mgmt-obj-specializations.js';

export type { AttributeKind, AttributeInfo, AttributeSpec, CreateOptionality, UpdateOptionality } from './attribute-model.js';

export const RESOURCE_TYPE = { CSEBase: 5, mgmtObj: 13, node: 14, request: 17, subscription: 23 } as const;

export interface ResourceTypeSpec {
  ty: number;
  /** `CSEBase`, `node`, or the mgmtObj specialization's long name (`firmware`, ...). */
  name: string;
  /** Root key of the resource in content: `m2m:cb`, `m2m:nod`, `m2m:fwr`, ... */
  rootKey: string;
  attributes: readonly AttributeSpec[];
  byShort: ReadonlyMap<string, AttributeSpec>;
}

export interface MgmtObjSpec extends ResourceTypeSpec {
  /** Specialization long name (same as `name`). */
  type: string;
  mgd: number;
  /** The specialization's own attributes (what a device can report), without the universal and mgmtObj-common ones. */
  specializationAttributes: readonly AttributeSpec[];
  /** Short names of the executable attributes. */
  executables: readonly string[];
  /** Executable pairs that must not both be true in one Update. */
  conflicts: ReadonlyArray<readonly [string, string]>;
}

/** Universal attributes of every normal resource (TS-0001 Table 9.6.1.3.1-1). */
const UNIVERSAL: readonly AttributeSpec[] = [
  readOnly('ty', 'resourceType', int),
  readOnly('ri', 'resourceID', str),
  attr('rn', 'resourceName', str, 'O/NP'),
  readOnly('pi', 'parentID', str),
  readOnly('ct', 'creationTime', time),
  readOnly('lt', 'lastModifiedTime', time),
  attr('et', 'expirationTime', time, 'O/O'),
  attr('lbl', 'labels', strList, 'O/O'),
];

/**
 * Common to every `<mgmtObj>` (TS-0001 Table 9.6.15-2); `mgs` is left out: self-defined mgmtObjs (mgd 0) are not served.
 * Lists that name other things (objects, paths, links) are refused empty, as reference CSEs do: "none" is the absent attribute.
 */
const MGMT_OBJ_COMMON: readonly AttributeSpec[] = [
  attr('mgd', 'mgmtDefinition', int, 'M/NP'),
  attr('obis', 'objectIDs', nonEmpty(uriList), 'O/NP'),
  attr('obps', 'objectPaths', nonEmpty(uriList), 'O/NP'),
  attr('dc', 'description', str, 'O/O'),
  attr('cmlk', 'mgmtLink', nonEmpty(mgmtLinkRefList), 'O/O'),
];

function spec(ty: number, name: string, rootKey: string, attributes: readonly AttributeSpec[]): ResourceTypeSpec {
  return { ty, name, rootKey, attributes, byShort: new Map(attributes.map((a) => [a.short, a])) };
}

/** The CSEBase is configured, never written by a client: every attribute is read-only. */
export const CSE_BASE_SPEC: ResourceTypeSpec = spec(RESOURCE_TYPE.CSEBase, 'CSEBase', 'm2m:cb', [
  ...UNIVERSAL.filter((a) => a.short !== 'et').map((a) => readOnly(a.short, a.long, a)),
  readOnly('csi', 'CSE-ID', str),
  readOnly('cst', 'cseType', int),
  readOnly('srt', 'supportedResourceType', intList),
  readOnly('poa', 'pointOfAccess', strList),
  readOnly('srv', 'supportedReleaseVersions', strList),
  readOnly('ctm', 'currentTime', time),
]);

export const NODE_SPEC: ResourceTypeSpec = spec(RESOURCE_TYPE.node, 'node', 'm2m:nod', [
  ...UNIVERSAL,
  attr('ni', 'nodeID', str, 'M/O'),
  attr('hcl', 'hostedCSELink', uri, 'O/O'),
  attr('hael', 'hostedAELinks', nonEmpty(uriList), 'O/O'),
  attr('hsl', 'hostedServiceLinks', nonEmpty(uriList), 'O/O'),
  attr('mgca', 'mgmtClientAddress', str, 'O/O'),
  attr('rms', 'roamingStatus', bool, 'O/O'),
  attr('nid', 'networkID', str, 'O/O'),
  attr('nty', 'nodeType', int, 'O/O'),
]);

/**
 * `<request>` (TS-0001 §9.6.12): created by the proxy alone for a non-blocking request, holding its state and, once
 * there, its result. Every attribute is read-only.
 */
export const REQUEST_SPEC: ResourceTypeSpec = spec(RESOURCE_TYPE.request, 'request', 'm2m:req', [
  ...UNIVERSAL.map((a) => readOnly(a.short, a.long, a)),
  readOnly('op', 'operation', enumOf(1, 2, 3, 4, 5)),
  readOnly('tg', 'target', uri),
  readOnly('org', 'originator', str),
  readOnly('rid', 'requestID', str),
  readOnly('mi', 'metaInformation', anyObject),
  readOnly('pc', 'primitiveContent', anyObject),
  readOnly('rs', 'requestStatus', enumOf(1, 2, 3, 4, 5)),
  readOnly('ors', 'operationResult', anyObject),
]);

export const MGMT_OBJ_SPECS: readonly MgmtObjSpec[] = SPECIALIZATIONS.map((definition) => {
  const own = new Set(definition.attributes.map((a) => a.short));
  const common = MGMT_OBJ_COMMON.filter((a) => !own.has(a.short));
  const base = spec(RESOURCE_TYPE.mgmtObj, definition.type, definition.rootKey, [...UNIVERSAL, ...common, ...definition.attributes]);
  return {
    ...base,
    type: definition.type,
    mgd: definition.mgd,
    specializationAttributes: definition.attributes,
    executables: definition.attributes.filter((a) => a.executable).map((a) => a.short),
    conflicts: definition.conflicts,
  };
});

const BY_TYPE = new Map(MGMT_OBJ_SPECS.map((s) => [s.type, s]));
const BY_MGD = new Map(MGMT_OBJ_SPECS.map((s) => [s.mgd, s]));
const BY_ROOT_KEY = new Map<string, ResourceTypeSpec>([CSE_BASE_SPEC, NODE_SPEC, REQUEST_SPEC, ...MGMT_OBJ_SPECS].map((s) => [s.rootKey, s]));

const INFO_BY_SHORT = new Map<string, AttributeInfo>();
for (const s of [CSE_BASE_SPEC, NODE_SPEC, REQUEST_SPEC, ...MGMT_OBJ_SPECS]) {
  for (const a of s.attributes) if (!INFO_BY_SHORT.has(a.short)) INFO_BY_SHORT.set(a.short, a);
}

/** Type of an attribute by short name (used e.g. to read typed values from XML). Same short name = same type in every resource type. */
export function attributeInfo(short: string): AttributeInfo | undefined {
  return INFO_BY_SHORT.get(short);
}

/** By specialization long name, e.g. `mgmtObjSpecByType('firmware')` → mgd 1001, rootKey `m2m:fwr`. */
export function mgmtObjSpecByType(type: string): MgmtObjSpec | undefined {
  return BY_TYPE.get(type);
}

export function mgmtObjSpecByMgd(mgd: number): MgmtObjSpec | undefined {
  return BY_MGD.get(mgd);
}

export function mgmtObjSpecByRootKey(rootKey: string): MgmtObjSpec | undefined {
  const found = BY_ROOT_KEY.get(rootKey);
  return found && found.ty === RESOURCE_TYPE.mgmtObj ? (found as MgmtObjSpec) : undefined;
}

/** Any served resource type by its content root key (`m2m:cb`, `m2m:nod`, `m2m:fwr`, ...). */
export function resourceSpecByRootKey(rootKey: string): ResourceTypeSpec | undefined {
  return BY_ROOT_KEY.get(rootKey);
}

import type { MgmtObjRef } from '../../../core/device-adapter.js';
import type { MappingSet, OmadmAttributeMapping, OmadmMgmtObjMapping } from '../../../mappings/types.js';
import { DmRefusal } from '../../common/refusal.js';

const INSTANCE = '{instance}';
/** A node name: no `/` (segment separator), no `?` or `#` (the query), not `.` or `..`. */
const NODE_NAME = /^(?!\.{1,2}$)[^/?#]{1,64}$/;

/**
 * Where a mgmtObj's attributes live on a DM 2.0 device: ClientURIs `MOID/MIID/path` (reference §2). `path` is the
 * attribute's `dm20Path` (else `path`) of mappings/objects/omadm.yaml, below the MO instance's root.
 */
export interface MoAddress {
  mapping: OmadmMgmtObjMapping;
  /** `MOID/MIID` of the MO instance (an empty MIID: the device's only instance). */
  base: string;
  /** The name of the instance node of a multi-instance mapping (`app` of `software-app`). */
  instance?: string;
  /** Its path below the MO instance root (`Download/app`): where the writable leaves live (else the first attribute's). */
  instanceNode?: string;
  /** The attribute's path below the MO instance root (`{instance}` filled in); undefined: it has no DM 2.0 node in this MO. */
  pathOf(attribute: OmadmAttributeMapping): string | undefined;
  /** `MOID/MIID/path`. */
  clientUri(path: string): string;
}

/** The MO instance a mgmtObj's objectPaths name: `MOID/MIID` of the first one of its MO. */
function baseFromObjectPaths(moUrn: string, obps: readonly string[] | undefined): string | undefined {
  const path = obps?.find((candidate) => candidate.startsWith(`${moUrn}/`));
  if (path === undefined) return undefined;
  const miid = path.slice(moUrn.length + 1).split('/')[0];
  return `${moUrn}/${miid}`;
}

/**
 * Throws DmRefusal (`unmapped`, `no-instance`) when the mgmtObj has no place on a DM 2.0 device. `miids`: the MIIDs of
 * an MO the device listed in its last package 1 (for a mgmtObj whose objectPaths do not name its MO instance).
 */
export function moAddress(table: MappingSet, obj: MgmtObjRef, miids: (moid: string) => readonly string[] | undefined): MoAddress {
  const mapping = table.omadmByMgmtObj(obj.type);
  if (!mapping) throw new DmRefusal('unmapped', `no OMA DM management object is mapped to mgmtObj type "${obj.type}" (mappings/objects/omadm.yaml)`);
  const multiInstance = mapping.attributes.some((attribute) => attribute.path.includes(INSTANCE));
  let instance: string | undefined;
  if (multiInstance) {
    const prefix = `${obj.type}-`;
    const name = obj.rn.startsWith(prefix) ? obj.rn.slice(prefix.length) : obj.rn;
    if (!NODE_NAME.test(name)) throw new DmRefusal('no-instance', `"${obj.rn}" names no instance node of ${mapping.moUrn}`);
    instance = name;
  }
  const listed = miids(mapping.moUrn);
  const base = baseFromObjectPaths(mapping.moUrn, obj.obps) ?? `${mapping.moUrn}/${listed?.length === 1 ? listed[0] : ''}`;
  const root = `${mapping.rootPath}/`;
  const template = (attribute: OmadmAttributeMapping): string | undefined => {
    const path = attribute.dm20Path ?? attribute.path;
    if (!path.startsWith('./')) return path;
    return path.startsWith(root) ? path.slice(root.length) : undefined;
  };
  let instanceNode: string | undefined;
  if (instance !== undefined) {
    const ofInstance = mapping.attributes.filter((attribute) => template(attribute)?.includes(INSTANCE));
    const chosen = template(ofInstance.find((attribute) => !attribute.executable && attribute.access.includes('W')) ?? ofInstance[0]) as string;
    instanceNode = chosen.slice(0, chosen.indexOf(INSTANCE)) + instance;
  }
  return {
    mapping,
    base,
    ...(instance !== undefined ? { instance, instanceNode } : {}),
    pathOf(attribute) {
      const path = template(attribute);
      return path === undefined || instance === undefined ? path : path.replace(INSTANCE, instance);
    },
    clientUri: (path) => `${base}/${path}`,
  };
}

/** The deepest node holding every one of the paths (`''`: the MO instance root). */
export function commonNode(paths: readonly string[]): string {
  const split = paths.map((path) => path.split('/'));
  const common: string[] = [];
  for (let index = 0; split.every((segments) => index < segments.length - 1 && segments[index] === split[0][index]); index++) common.push(split[0][index]);
  return common.join('/');
}

/** `path` below `node` (`node` holds it). */
export function below(node: string, path: string): string {
  return node === '' ? path : path.slice(node.length + 1);
}

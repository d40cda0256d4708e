import type { MgmtObjRef } from '../../../core/device-adapter.js';
import { omadmNodePath } from '../../../mappings/object-tables.js';
import type { MappingSet, OmadmAttributeMapping, OmadmMgmtObjMapping } from '../../../mappings/types.js';
import { DmRefusal } from './refusal.js';

const INSTANCE = '{instance}';
/** A DM node name: no `/` (segment separator), no `?` (the property query), not `.` or `..`. */
const NODE_NAME = /^(?!\.{1,2}$)[^/?#]{1,64}$/;

/** Where a mgmtObj's attributes live in the device's DM tree. */
export interface MgmtObjNodes {
  mapping: OmadmMgmtObjMapping;
  /** The node URI of an attribute (`{instance}` filled in). */
  uriOf(attribute: OmadmAttributeMapping): string;
  /** The node the mgmtObj stands for: the instance node of a multi-instance MO (`./SCOMO/Download/app`), else the MO root. */
  instanceNodes(attributes?: readonly OmadmAttributeMapping[]): string[];
}

/**
 * The instance of a multi-instance MO a mgmtObj stands for, from its name (`software-<instance>`, the mgmtObj naming
 * contract; any other name is the instance itself).
 */
function instanceName(obj: MgmtObjRef): string | undefined {
  const prefix = `${obj.type}-`;
  const name = obj.rn.startsWith(prefix) ? obj.rn.slice(prefix.length) : obj.rn;
  return NODE_NAME.test(name) ? name : undefined;
}

/** Throws DmRefusal (`unmapped`, `no-instance`) when the mgmtObj has no place in a DM tree. */
export function mgmtObjNodes(table: MappingSet, obj: MgmtObjRef): MgmtObjNodes {
  const mapping = table.omadmByMgmtObj(obj.type);
  if (!mapping) throw new DmRefusal('unmapped', `no OMA DM management object is mapped to mgmtObj type "${obj.type}" (mappings/objects/omadm.yaml)`);
  const multiInstance = mapping.attributes.some((attribute) => attribute.path.includes(INSTANCE));
  const instance = multiInstance ? instanceName(obj) : undefined;
  if (multiInstance && instance === undefined) throw new DmRefusal('no-instance', `"${obj.rn}" names no instance node of ${mapping.rootPath}`);
  const uriOf = (attribute: OmadmAttributeMapping) => omadmNodePath(mapping, attribute).replace(INSTANCE, instance ?? INSTANCE);
  return {
    mapping,
    uriOf,
    instanceNodes(attributes = mapping.attributes) {
      if (instance === undefined) return [mapping.rootPath];
      const nodes = attributes.flatMap((attribute) => {
        const path = omadmNodePath(mapping, attribute);
        const at = path.indexOf(INSTANCE);
        return at < 0 ? [] : [path.slice(0, at) + instance];
      });
      return [...new Set(nodes)];
    },
  };
}

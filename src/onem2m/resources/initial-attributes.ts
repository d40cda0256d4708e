import { actionStatus } from '../../core/attribute-model.js';
import type { MgmtObjSpec } from '../../core/attribute-dictionary.js';

/** A fresh mgmtObj gets only what the proxy itself knows: status attributes start as "no action yet"; device values stay absent until read. */
export function initialAttributes(spec: MgmtObjSpec): Record<string, unknown> {
  return Object.fromEntries(
    spec.specializationAttributes.filter((a) => a.fields === actionStatus.fields).map((a) => [a.short, { acn: '', sus: 0 }]),
  );
}

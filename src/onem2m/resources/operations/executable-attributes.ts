/**
 * Executable attributes (TS-0001: `ud`, `in`/`un`/`act`/`dea`, `rbo`/`far`, `ena`/`dis`, `lga`/`lgo`, ...) are readable and
 * read false: `true` is a request to act, never a state. Answers show them so; the store and the devices never hold them.
 */
import type { StoredResource } from '../../../store/store.js';
import { RESOURCE_TYPE, type MgmtObjSpec } from '../../../core/attribute-dictionary.js';
import type { ResourceTree } from '../resource-tree.js';

export function withExecutablesRead(tree: ResourceTree, resource: StoredResource, attrs: Record<string, unknown>): Record<string, unknown> {
  if (resource.ty !== RESOURCE_TYPE.mgmtObj) return attrs;
  const { executables } = tree.specOf(resource) as MgmtObjSpec;
  if (executables.length === 0) return attrs;
  return { ...attrs, ...Object.fromEntries(executables.map((name) => [name, false])) };
}

/** `attrs` without the executable attributes of the specialization: what the proxy stores of a request. */
export function withoutExecutables(spec: MgmtObjSpec, attrs: Record<string, unknown>): Record<string, unknown> {
  if (spec.executables.length === 0) return attrs;
  return Object.fromEntries(Object.entries(attrs).filter(([name]) => !spec.executables.includes(name)));
}

/** Result content (`rcn`, TS-0004 Table 6.3.4.2.7-1): which values each operation accepts and what each one puts in the response. */
import { isDeepStrictEqual } from 'node:util';
import type { StoredResource } from '../../../store/store.js';
import { Operation } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import type { ResourceTree } from '../resource-tree.js';

export const RCN = {
  nothing: 0,
  attributes: 1,
  hierarchicalAddress: 2,
  hierarchicalAddressAndAttributes: 3,
  attributesAndChildren: 4,
  attributesAndChildReferences: 5,
  childReferences: 6,
  childResources: 8,
  modifiedAttributes: 9,
} as const;

const ACCEPTED: Record<Operation, { values: readonly number[]; fallback: number }> = {
  [Operation.Create]: { values: [0, 1, 2, 3, 9], fallback: RCN.attributes },
  [Operation.Retrieve]: { values: [1, 4, 5, 6, 8], fallback: RCN.attributes },
  [Operation.Update]: { values: [0, 1, 9], fallback: RCN.attributes },
  [Operation.Delete]: { values: [0, 1, 4, 5, 6, 8], fallback: RCN.nothing },
  [Operation.Notify]: { values: [], fallback: RCN.nothing },
};

/** The rcn to apply: the operation's default when absent, 4000 when the operation does not allow it. */
export function resultContent(op: Operation, rcn: number | undefined): number {
  const { values, fallback } = ACCEPTED[op];
  if (rcn === undefined) return fallback;
  if (!values.includes(rcn)) throw new RequestError(RSC.BAD_REQUEST, `rcn=${rcn} is not allowed for ${Operation[op]} (allowed: ${values.join(', ')})`);
  return rcn;
}

/** drt: 1 structured (default), 2 unstructured (TS-0004 §6.3.4.2.28). */
export function addressOf(resource: Pick<StoredResource, 'ri' | 'path'>, drt: number | undefined): string {
  return drt === 2 ? resource.ri : resource.path;
}

export function checkDrt(drt: number | undefined): void {
  if (drt !== undefined && drt !== 1 && drt !== 2) throw new RequestError(RSC.BAD_REQUEST, `drt=${drt} is not 1 (structured) or 2 (unstructured)`);
}

export function childReference(resource: StoredResource, drt: number | undefined): Record<string, unknown> {
  return { nm: resource.rn, typ: resource.ty, val: addressOf(resource, drt) };
}

export function wrap(tree: ResourceTree, resource: StoredResource, attrs: Record<string, unknown>): Record<string, unknown> {
  return { [tree.specOf(resource).rootKey]: attrs };
}

/** Attributes the hosting CSE set or changed beyond what the request asked for (rcn 9). */
export function modifiedAttributes(
  result: Record<string, unknown>, requested: Record<string, unknown>, before: Record<string, unknown> = {},
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(result).filter(([key, value]) => !isDeepStrictEqual(before[key], value) && !(key in requested && isDeepStrictEqual(requested[key], value))),
  );
}

export interface TreeView {
  tree: ResourceTree;
  /** Attributes to show for a resource (stored or freshly read from its device). */
  attributesOf(resource: StoredResource): Record<string, unknown>;
  visible(resource: StoredResource): boolean;
  drt?: number;
}

async function visibleChildren(view: TreeView, resource: StoredResource): Promise<StoredResource[]> {
  return (await view.tree.children(resource)).filter(view.visible);
}

/** Attributes with every descendant nested under its type's root key (rcn 4), or the descendants alone (rcn 8). */
async function nested(view: TreeView, resource: StoredResource, withAttributes: boolean): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = withAttributes ? { ...view.attributesOf(resource) } : {};
  for (const child of await visibleChildren(view, resource)) {
    const key = view.tree.specOf(child).rootKey;
    const list = (result[key] ??= []) as unknown[];
    list.push(await nested(view, child, true));
  }
  return result;
}

/** Content for Retrieve and Delete per rcn 1, 4, 5, 6, 8. */
export async function resourceContent(view: TreeView, resource: StoredResource, rcn: number): Promise<Record<string, unknown> | undefined> {
  switch (rcn) {
    case RCN.nothing:
      return undefined;
    case RCN.attributesAndChildren:
      return wrap(view.tree, resource, await nested(view, resource, true));
    case RCN.attributesAndChildReferences: {
      const ch = (await visibleChildren(view, resource)).map((c) => childReference(c, view.drt));
      return wrap(view.tree, resource, { ...view.attributesOf(resource), ch });
    }
    case RCN.childReferences:
      return { 'm2m:rrl': { rrf: (await visibleChildren(view, resource)).map((c) => childReference(c, view.drt)) } };
    case RCN.childResources:
      return wrap(view.tree, resource, await nested(view, resource, false));
    default:
      return wrap(view.tree, resource, view.attributesOf(resource));
  }
}

/** How devices published by adapters become `<node>`s with `<mgmtObj>` children (the DeviceDirectory side of the tree). */
import { isDeepStrictEqual } from 'node:util';
import type { ResourceCondition, StoredResource } from '../../store/resource-store.js';
import type { DiscoveredDevice, DiscoveredMgmtObj } from '../../core/device-directory.js';
import type { Protocol } from '../../core/device-adapter.js';
import { isProtocol } from '../../core/protocols.js';
import type { ResourceTree } from './resource-tree.js';
import { initialAttributes } from './initial-attributes.js';
import { NODE_SPEC, RESOURCE_TYPE, mgmtObjSpecByType, type MgmtObjSpec } from '../../core/attribute-dictionary.js';
import { nodeNameForDevice } from './device-node-naming.js';
import { isDeviceBound, isHeld, isStaged } from './held-values.js';
import { DEVICE_EXPIRATION_TIME } from './expiry.js';

const STATUS_LABELS: readonly string[] = ['online', 'offline'];

function deviceLabels(protocol: Protocol, online: boolean, current: unknown): string[] {
  const others = Array.isArray(current) ? current.filter((l) => !isProtocol(l) && !STATUS_LABELS.includes(l)) : [];
  return [protocol, online ? 'online' : 'offline', ...others];
}

/**
 * The device's node, or undefined: the node whose ni is the device's id, whatever its name (a CSE may create it before
 * the device is seen), else the node of the contract name. A node of that name held by another device (or by a CSE for
 * another ni) is an error.
 */
async function findDeviceNode(tree: ResourceTree, protocol: Protocol, deviceId: string): Promise<StoredResource | undefined> {
  const byNodeId = (await tree.nodesByNodeId(deviceId)).find((node) =>
    !isDeviceBound(node) || (node.internal.protocol === protocol && node.internal.deviceId === deviceId));
  if (byNodeId) return byNodeId;
  const node = await tree.findChild(tree.cseBase, nodeNameForDevice(deviceId));
  if (!node) return undefined;
  const sameDevice = node.internal.protocol === undefined
    ? node.attrs.ni === deviceId
    : node.internal.protocol === protocol && node.internal.deviceId === deviceId;
  if (!sameDevice) throw new Error(`node "${node.path}" already belongs to another device than ${protocol} "${deviceId}"`);
  return node;
}

/** Changes applied to a resource, or undefined when they change nothing. */
function changed(tree: ResourceTree, resource: StoredResource, changes: Record<string, unknown>): StoredResource | undefined {
  const differs = Object.entries(changes).some(([key, value]) => !isDeepStrictEqual(resource.attrs[key], value));
  return differs ? tree.withChanges(resource, changes) : undefined;
}

function specFor(discovered: DiscoveredMgmtObj): MgmtObjSpec {
  const spec = mgmtObjSpecByType(discovered.type);
  if (!spec) throw new Error(`unknown mgmtObj type "${discovered.type}" for "${discovered.rn}"`);
  return spec;
}

/** An objectPaths entry as compared: repeated and trailing slashes do not make another path. */
function pathKey(path: string): string {
  return path.trim().replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

function objectPathsOf(resource: StoredResource): string[] {
  const obps = resource.attrs.obps;
  return Array.isArray(obps) ? obps.filter((p): p is string => typeof p === 'string') : [];
}

/** A child of specialization `mgd` whose objectPaths name one of `obps` (compared by pathKey). */
function bindsToPaths(child: StoredResource, mgd: unknown, obps: readonly string[]): boolean {
  if (child.attrs.mgd !== mgd) return false;
  const paths = new Set(obps.map(pathKey));
  return objectPathsOf(child).some((p) => paths.has(pathKey(p)));
}

/** A child of the discovered object's specialization whose objectPaths name the discovered instance. */
function bindsTo(child: StoredResource, spec: MgmtObjSpec, discovered: DiscoveredMgmtObj): boolean {
  return bindsToPaths(child, spec.mgd, discovered.obps);
}

/** `internal` of a mgmtObj the proxy creates from discovery (never on the wire): marks it as the proxy's, not a CSE's. */
function discoveredInternal(spec: MgmtObjSpec): Record<string, unknown> {
  return { type: spec.type, discovered: true };
}

/**
 * The discovered (proxy-created) siblings among `siblings` that `mgmtObj`, a CSE's resource about to be stored beside them, supersedes:
 * same specialization, bound to one of its objectPaths. The caller deletes them in the commit that stores `mgmtObj`, so
 * one instance has one resource even when the device's Registration Update was published before the CSE's Create was
 * stored. Only children carrying the discovered marker qualify: a CSE's resource is never removed this way.
 */
export function discoveredSiblingsSupersededBy(siblings: StoredResource[], mgmtObj: StoredResource): StoredResource[] {
  const obps = objectPathsOf(mgmtObj);
  if (mgmtObj.ty !== RESOURCE_TYPE.mgmtObj || obps.length === 0) return [];
  // Children stored before the marker existed carry none and are kept: they may be a CSE's, which this must never remove.
  return siblings.filter((child) => child.ri !== mgmtObj.ri && child.ty === RESOURCE_TYPE.mgmtObj
    && child.internal.discovered === true && bindsToPaths(child, mgmtObj.attrs.mgd, obps));
}

/**
 * Refreshes the device's `<node>` and matches its `<mgmtObj>` children to the discovered objects, all in one commit:
 * - a child of the same specialization whose `obps` names a discovered instance stands for it and keeps its name, ri
 *   and attributes (only obis/obps are refreshed), whoever named it: a CSE-created `my-app` bound to /9/2 stays, no
 *   `software-2` is added beside it;
 * - a discovered instance no child stands for gets the contract name (`software-2`); a child already holding that name
 *   with the same specialization and no objectPaths to compare (or a discovery without any) is taken as that object;
 * - every other child is removed: its instance is gone (or its specialization changed).
 * Children created here are marked `internal.discovered` (see discoveredSiblingsSupersededBy); kept children keep theirs.
 * The commit holds only while the node and its children are as read (a CSE may change them meanwhile); else it is redone.
 */
export function upsertDeviceNode(tree: ResourceTree, device: DiscoveredDevice): Promise<StagedNode | undefined> {
  return tree.retrying(() => refreshDeviceNode(tree, device));
}

/** A device's node that holds staged mgmtObjs, as the device bound to it: their desired values are the device's to take now. */
export interface StagedNode {
  nodeRi: string;
  protocol: Protocol;
  deviceId: string;
}

function stagedNode(node: StoredResource, children: readonly StoredResource[], protocol: Protocol, deviceId: string): StagedNode | undefined {
  return children.some(isStaged) ? { nodeRi: node.ri, protocol, deviceId } : undefined;
}

async function refreshDeviceNode(tree: ResourceTree, device: DiscoveredDevice): Promise<StagedNode | undefined> {
  const existing = await findDeviceNode(tree, device.protocol, device.deviceId);
  const internal = { protocol: device.protocol, deviceId: device.deviceId };
  const nodeAttributes = {
    ni: device.deviceId, mgca: device.address, lbl: deviceLabels(device.protocol, device.online, existing?.attrs.lbl),
    // a node stored without et gets the device's; an et a CSE set (or created the node with) is kept
    ...(existing?.attrs.et === undefined ? { et: DEVICE_EXPIRATION_TIME } : {}),
  };
  const changes: Changes = { puts: [], deletes: [], conditions: [] };

  let node: StoredResource;
  if (existing) {
    const refreshed = changed(tree, existing, nodeAttributes);
    node = { ...(refreshed ?? existing), internal };
    if (refreshed || !isDeepStrictEqual(existing.internal, internal)) changes.puts.push(node);
  } else {
    node = tree.newChild(tree.cseBase, NODE_SPEC, { rn: nodeNameForDevice(device.deviceId), ...nodeAttributes }, internal);
    changes.puts.push(node);
  }
  const children = existing ? await tree.children(existing) : [];
  if (existing) changes.conditions.push({ unchanged: existing }, { childrenOf: existing.ri, are: children.map((c) => c.ri) });
  matchMgmtObjs(tree, node, children, device.mgmtObjs, device.covers, changes);
  // A refresh that changes nothing (the usual registration Update) writes nothing.
  if (changes.puts.length > 0 || changes.deletes.length > 0) await tree.commit(changes.puts, changes.deletes, changes.conditions);
  return stagedNode(node, children, device.protocol, device.deviceId);
}

/** See DeviceDirectory.upsertMgmtObjs: the children of one specialization only; no node, nothing to do. */
export function upsertDeviceMgmtObjs(
  tree: ResourceTree, protocol: Protocol, deviceId: string, type: string, mgmtObjs: DiscoveredMgmtObj[],
): Promise<StagedNode | undefined> {
  const foreign = mgmtObjs.find((mgmtObj) => mgmtObj.type !== type);
  if (foreign) return Promise.reject(new Error(`"${foreign.rn}" is no ${type} mgmtObj`));
  return tree.retrying(async () => {
    const node = await findDeviceNode(tree, protocol, deviceId);
    if (!node || !isDeviceBound(node)) return undefined;
    const children = await tree.children(node);
    const changes: Changes = { puts: [], deletes: [], conditions: [{ childrenOf: node.ri, are: children.map((c) => c.ri) }] };
    matchMgmtObjs(tree, node, children, mgmtObjs, [type], changes);
    if (changes.puts.length > 0 || changes.deletes.length > 0) await tree.commit(changes.puts, changes.deletes, changes.conditions);
    return stagedNode(node, children, protocol, deviceId);
  });
}

interface Changes {
  puts: StoredResource[];
  deletes: string[];
  conditions: ResourceCondition[];
}

/**
 * Matches the node's `<mgmtObj>` children of the specializations `covers` names (all when undefined) to the
 * discovered objects; children of other specializations are left alone. The rules are upsertDeviceNode's.
 */
function matchMgmtObjs(
  tree: ResourceTree, node: StoredResource, children: StoredResource[], discoveredObjs: DiscoveredMgmtObj[], covers: readonly string[] | undefined, changes: Changes,
): void {
  const coveredMgd = covers && new Set(covers.map((type) => mgmtObjSpecByType(type)?.mgd));
  // held ones are the proxy's for good: no device object stands behind them
  const current = children.filter((c) => c.ty === RESOURCE_TYPE.mgmtObj && !isHeld(c) && (!coveredMgd || coveredMgd.has(c.attrs.mgd as number)));
  const { puts, deletes, conditions } = changes;
  /** ri of every child kept, each standing for one discovered object. */
  const kept = new Set<string>();
  const keep = (child: StoredResource, discovered: DiscoveredMgmtObj): void => {
    kept.add(child.ri);
    const refreshed = changed(tree, child, { obis: discovered.obis, obps: discovered.obps });
    if (!refreshed) return;
    puts.push(refreshed);
    conditions.push({ unchanged: child });
  };

  const unbound: Array<{ discovered: DiscoveredMgmtObj; spec: MgmtObjSpec }> = [];
  for (const discovered of discoveredObjs) {
    const spec = specFor(discovered);
    const holders = discovered.obps.length > 0 ? current.filter((c) => !kept.has(c.ri) && bindsTo(c, spec, discovered)) : [];
    for (const holder of holders) keep(holder, discovered);
    if (holders.length === 0) unbound.push({ discovered, spec });
  }

  const byName = new Map(current.map((c) => [c.rn, c]));
  for (const { discovered, spec } of unbound) {
    const named = byName.get(discovered.rn);
    if (named && !kept.has(named.ri) && named.attrs.mgd === spec.mgd
      && (objectPathsOf(named).length === 0 || discovered.obps.length === 0)) {
      keep(named, discovered);
      continue;
    }
    // a mgmtObj staged under its own name, with no objectPaths, stands for the first instance of its specialization
    const waiting = current.find((c) => !kept.has(c.ri) && isStaged(c) && c.attrs.mgd === spec.mgd && objectPathsOf(c).length === 0);
    if (waiting) {
      keep(waiting, discovered);
      continue;
    }
    // The contract name may be held by a child kept for another instance, e.g. a CSE named its resource `software-2`
    // and the proxy bound it to /9/1. That child keeps its name and binding (renaming a CSE's resource would break
    // the CSE); the new instance is still published, named by its ri as oneM2M names a resource created without rn.
    // It is found by its obps at the next refresh, so the name stays stable. A name held by a child being removed is
    // free: the delete and the create land in the same commit. A name held by a child of a specialization not
    // covered (another mgmtObj type) is not free: the new one is named by its ri too.
    const holder = named ?? children.find((c) => c.rn === discovered.rn);
    const taken = holder !== undefined && (kept.has(holder.ri) || !current.includes(holder));
    const content = {
      ...(taken ? {} : { rn: discovered.rn }),
      mgd: spec.mgd, et: DEVICE_EXPIRATION_TIME, obis: discovered.obis, obps: discovered.obps, ...initialAttributes(spec),
    };
    puts.push(tree.newChild(node, spec, content, discoveredInternal(spec)));
  }
  // staged values no instance took stay the CSE's: they wait for the device to have one
  for (const stale of current) if (!kept.has(stale.ri) && !isStaged(stale)) deletes.push(stale.ri);
}

export function setDeviceOnline(tree: ResourceTree, protocol: Protocol, deviceId: string, online: boolean): Promise<void> {
  return tree.retrying(async () => {
    const node = await findDeviceNode(tree, protocol, deviceId);
    const updated = node && changed(tree, node, { lbl: deviceLabels(protocol, online, node.attrs.lbl) });
    if (updated) await tree.commit([updated], [], [{ unchanged: node }]);
  });
}

export async function cacheReportedDeviceAttributes(
  tree: ResourceTree, protocol: Protocol, deviceId: string, mgmtObj: Pick<DiscoveredMgmtObj, 'type' | 'obps'>, attributes: Record<string, unknown>,
): Promise<void> {
  const node = await findDeviceNode(tree, protocol, deviceId);
  const spec = mgmtObjSpecByType(mgmtObj.type);
  if (!node || !spec) return;
  const bound = (await tree.children(node)).filter((child) => child.ty === RESOURCE_TYPE.mgmtObj && bindsToPaths(child, spec.mgd, mgmtObj.obps));
  for (const child of bound) await storeDeviceValues(tree, child, attributes);
}

function isSpecializationAttribute(spec: MgmtObjSpec): (name: string) => boolean {
  const own = new Set(spec.specializationAttributes.map((a) => a.short));
  return (name) => own.has(name);
}

/** Only the specialization's own attributes come from a device; anything else it reports is ignored. */
export function deviceValues(spec: MgmtObjSpec, attributes: Record<string, unknown> | undefined): Record<string, unknown> {
  const own = isSpecializationAttribute(spec);
  // an executable attribute is an action, not a value: answers show it false, the store never holds it
  const stored = (key: string) => own(key) && !spec.executables.includes(key);
  return Object.fromEntries(Object.entries(attributes ?? {}).filter(([key, value]) => stored(key) && value !== undefined));
}

/** The attributes the proxy itself holds (universal and common ones): a specialization's values are the device's to confirm. */
export function withoutDeviceValues(spec: MgmtObjSpec, attributes: Record<string, unknown>): Record<string, unknown> {
  const own = isSpecializationAttribute(spec);
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !own(key)));
}

/**
 * Merges values a device reported into a mgmtObj as stored now (the device call may have taken a while);
 * stored only when something changed. Returns the current resource; a resource deleted meanwhile stays deleted.
 */
export function storeDeviceValues(
  tree: ResourceTree, mgmtObj: StoredResource, attributes: Record<string, unknown> | undefined,
): Promise<StoredResource> {
  return tree.retrying(async () => {
    const latest = await tree.get(mgmtObj.ri);
    if (!latest) return mgmtObj;
    const updated = changed(tree, latest, deviceValues(tree.specOf(latest) as MgmtObjSpec, attributes));
    if (!updated) return latest;
    await tree.commit([updated], [], [{ unchanged: latest }]);
    return updated;
  });
}

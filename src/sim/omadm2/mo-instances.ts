/**
 * The device's MO instances over one DM tree (src/sim/omadm/dm-tree.ts): each (MOID, MIID) is a top-level node of the
 * tree. Resolves ClientURIs, serialises subtrees as JSON MO data, writes MO data in (HGET) and gives each instance a
 * cache validator: a hash of its content, so it changes exactly when the instance does.
 */
import { createHash } from 'node:crypto';
import { type DmNode, type DmTree, interior, joinPath, leaf, pathSegments } from '../omadm/dm-tree.js';
import { completeAddedNode } from '../omadm/exec-operations.js';
import { type ClientUri, formatClientUri } from './client-uri.js';
import { DM2_STATUS } from './status-codes.js';
import type { MoDataEntry, MoValue } from './wire.js';

export interface MoInstance {
  moid: string;
  miid: string;
  /** Where its root lives in the tree (`./FUMO`). */
  rootPath: string;
  /** The root's name in MO data (`FUMO`). */
  rootName: string;
}

/** A ClientURI resolved to nodes: per instance, the node's tree path. */
export interface Target {
  instance: MoInstance;
  path: string[];
  treePath: string;
  clientUri: string;
}

export type Resolution = { targets: Target[] } | { status: number; reason: string };

export class MoInstances {
  private instances: MoInstance[];

  constructor(
    readonly tree: DmTree,
    initial: MoInstance[],
  ) {
    this.instances = [...initial];
  }

  list(): readonly MoInstance[] {
    return this.instances;
  }

  reset(initial: MoInstance[]): void {
    this.instances = [...initial];
  }

  /** The instances a ClientURI names (its node need not exist; `mustExist` checks that). */
  resolve(uri: ClientUri, mustExist = true): Resolution {
    const ofMoid = this.instances.filter((instance) => instance.moid === uri.moid);
    let chosen: MoInstance[];
    if (uri.miid === '*') chosen = ofMoid;
    else if (uri.miid === '' || uri.miid === undefined) {
      if (ofMoid.length !== 1) return { status: DM2_STATUS.notFound, reason: `${uri.moid} has ${ofMoid.length} instances: an empty MIID cannot be resolved` };
      chosen = ofMoid;
    } else chosen = ofMoid.filter((instance) => instance.miid === uri.miid);
    if (chosen.length === 0) return { status: DM2_STATUS.notFound, reason: `no instance ${uri.moid}/${uri.miid ?? ''}` };
    const targets = chosen.map((instance) => this.target(instance, uri.path));
    const missing = targets.find((target) => !this.tree.node(target.treePath));
    if (mustExist && missing) return { status: DM2_STATUS.notFound, reason: `no node ${missing.clientUri}` };
    return { targets };
  }

  target(instance: MoInstance, path: string[]): Target {
    return { instance, path, treePath: path.length === 0 ? instance.rootPath : `${instance.rootPath}/${path.join('/')}`, clientUri: formatClientUri(instance.moid, instance.miid, path) };
  }

  /** A new instance of `moid` (the next free number as MIID), its root named `rootName`. */
  create(moid: string, rootName: string): MoInstance {
    const taken = new Set(this.instances.filter((instance) => instance.moid === moid).map((instance) => instance.miid));
    let number = 1;
    while (taken.has(String(number))) number++;
    const miid = String(number);
    const free = (path: string): boolean => !this.tree.node(path) && !this.instances.some((instance) => instance.rootPath === path);
    const rootPath = free(`./${rootName}`) ? `./${rootName}` : `./${rootName}-${moid.replace(/[^A-Za-z0-9]+/g, '-')}-${miid}`;
    const instance = { moid, miid, rootPath, rootName };
    this.instances.push(instance);
    return instance;
  }

  remove(instance: MoInstance): void {
    this.instances = this.instances.filter((candidate) => candidate !== instance);
    this.tree.remove(instance.rootPath);
  }

  /** The instance's cache validator: changes whenever anything in it does. */
  cacheValidator(instance: MoInstance): string {
    const root = this.tree.node(instance.rootPath);
    return createHash('sha256').update(JSON.stringify(root ? serialise(root) : null)).digest('hex').slice(0, 16);
  }

  /** MO data of one existing target: {ClientURI, CV, MOData: {<node name>: value}}. */
  moData(target: Target): MoDataEntry {
    const node = this.tree.node(target.treePath) as DmNode;
    const name = target.path.length === 0 ? target.instance.rootName : node.name;
    return { ClientURI: target.clientUri, CV: this.cacheValidator(target.instance), MOData: { [name]: serialise(node) } };
  }

  /**
   * Writes `value` at the target (replacing leaves, creating what is missing, leaving other children as they are);
   * all or nothing. 403 where the ACL forbids Replace or Add, 405 for a permanent node changing kind, 400 when the data
   * does not fit the node (an object for a leaf, text for an interior node).
   */
  write(target: Target, value: MoValue): { status: number; reason?: string } {
    const snapshot = this.tree.snapshot();
    const failure = this.writeNode(target.treePath, value);
    if (failure) {
      this.tree.restore(snapshot);
      return failure;
    }
    return { status: DM2_STATUS.ok };
  }

  private writeNode(path: string, value: MoValue): { status: number; reason: string } | undefined {
    const existing = this.tree.node(path);
    const segments = pathSegments(path) ?? [];
    if (!existing) {
      if (!this.tree.allows(joinPath(segments.slice(0, -1)), 'Add')) return { status: DM2_STATUS.forbidden, reason: `adding ${path} is not allowed` };
      if (!this.tree.insert(path, build(segments.at(-1) as string, value))) return { status: DM2_STATUS.badRequest, reason: `${path} is below a leaf` };
      completeAddedNode(this.tree, segments);
      return undefined;
    }
    if (typeof value === 'string') {
      if (existing.children) return { status: DM2_STATUS.badRequest, reason: `${path} is an interior node, not a leaf` };
      if (!this.tree.allows(path, 'Replace')) return { status: DM2_STATUS.forbidden, reason: `replacing ${path} is not allowed` };
      existing.value = value;
      return undefined;
    }
    if (!existing.children) return { status: DM2_STATUS.badRequest, reason: `${path} is a leaf, not an interior node` };
    for (const [name, child] of Object.entries(value)) {
      const failure = this.writeNode(`${path}/${name}`, child);
      if (failure) return failure;
    }
    return undefined;
  }
}

/** A node as MO data: a leaf's value as text, an interior node as an object of its children. */
export function serialise(node: DmNode): MoValue {
  if (!node.children) return node.value ?? '';
  return Object.fromEntries([...node.children.values()].map((child) => [child.name, serialise(child)]));
}

function build(name: string, value: MoValue): DmNode {
  if (typeof value === 'string') return leaf(name, value, '');
  return interior(name, '', Object.entries(value).map(([child, childValue]) => build(child, childValue)));
}

/** MO data's values as the tree keeps them: numbers and booleans as text; undefined when it is no MO data. */
export function normaliseMoValue(value: unknown): MoValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, MoValue> = {};
  for (const [name, child] of Object.entries(value)) {
    if (name === '' || name.includes('/')) return undefined;
    const normalised = normaliseMoValue(child);
    if (normalised === undefined) return undefined;
    out[name] = normalised;
  }
  return out;
}

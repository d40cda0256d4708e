import { isDeepStrictEqual } from 'node:util';
import type { DescendantChunk, DescendantQuery, ExpiredChunk, ExpiredQuery, ResourceCondition, ResourceStore, StoredResource } from '../../store/resource-store.js';
import { spRelativeCseId, type ProxyConfig } from '../../core/config.js';
import { ResourceConditionError, ResourceConflictError } from '../../store/store-errors.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { parseTarget, type OwnAddress } from './target-address.js';
import { oneM2MTimestamp } from './onem2m-time.js';
import { newResourceId } from './resource-ids.js';
import { defaultExpirationTime, etHasPassed, isDeviceNode, isExpirableType } from './expiry.js';
import {
  CSE_BASE_SPEC, NODE_SPEC, REQUEST_SPEC, RESOURCE_TYPE, mgmtObjSpecByMgd, type ResourceTypeSpec,
} from '../../core/attribute-dictionary.js';

/** The proxy acts as a management gateway between an IN-CSE and devices and registers upstream as a remoteCSE: an MN-CSE. */
const CSE_TYPE_MN = 2;
const SUPPORTED_RESOURCE_TYPES = [RESOURCE_TYPE.CSEBase, RESOURCE_TYPE.mgmtObj, RESOURCE_TYPE.node, RESOURCE_TYPE.request];
/** Releases whose requests the proxy serves (`srv`); a request's X-M2M-RVI is echoed, whichever of these it names. */
export const SUPPORTED_RELEASE_VERSIONS = ['2a', '3'];

function cseBaseAttributes(config: ProxyConfig): Record<string, unknown> {
  return {
    csi: spRelativeCseId(config.cseId),
    cst: CSE_TYPE_MN,
    srt: SUPPORTED_RESOURCE_TYPES,
    srv: SUPPORTED_RELEASE_VERSIONS,
    ...(config.upstreamPoa ? { poa: [config.upstreamPoa] } : {}),
  };
}

/** A write the tree made: a resource created or updated, or the root of a subtree deleted (its descendants went with it). */
export type ResourceChange =
  | { kind: 'created'; resource: StoredResource }
  | { kind: 'updated'; resource: StoredResource; previous: StoredResource }
  | { kind: 'deleted'; resource: StoredResource };

export interface ChangeWatcher {
  /** Whether a write of this resource is to be reported (the tree then reads the version it replaces). */
  watches(resource: Pick<StoredResource, 'ri' | 'pi' | 'ty'>): boolean;
  /** Whether deletes are to be reported (the tree then reads each deleted root before the write). */
  watchesDeletes(): boolean;
  /** Called after each write that changed something watched, in the order the writes completed. */
  changed(changes: ResourceChange[]): void;
}

/** How often a read-compute-commit runs when other writers keep changing what it read. */
const COMMIT_ATTEMPTS = 5;

/** The oneM2M resource tree over a ResourceStore: CSEBase, `<node>`s and their `<mgmtObj>`s. Also the directory adapters publish devices into. */
export class ResourceTree {
  private watcher?: ChangeWatcher;

  private constructor(
    private readonly store: ResourceStore,
    private readonly own: OwnAddress,
    readonly cseBase: StoredResource,
    private readonly defaultExpirationS: number,
  ) {}

  /**
   * Opens the tree, creating the CSEBase on first start. Its ri is the CSE-ID without its slash, as CSEs commonly do
   * (TS-0001 leaves the value to the hosting CSE); a data directory created before keeps the ri it stored.
   */
  static async open(store: ResourceStore, config: ProxyConfig): Promise<ResourceTree> {
    const configured = cseBaseAttributes(config);
    const stored = (await store.listChildren('')).find((r) => r.ty === RESOURCE_TYPE.CSEBase);
    if (stored && stored.rn !== config.cseName) {
      throw new Error(`the data directory holds CSEBase "${stored.rn}" but CSE_NAME is "${config.cseName}"; use another DATA_DIR or the stored name`);
    }
    let cseBase: StoredResource;
    if (!stored) {
      const ri = config.cseId.replace(/^\//, '');
      const now = oneM2MTimestamp();
      cseBase = {
        ri, pi: '', ty: RESOURCE_TYPE.CSEBase, rn: config.cseName, path: config.cseName, internal: {},
        attrs: { ty: RESOURCE_TYPE.CSEBase, ri, rn: config.cseName, pi: '', ct: now, lt: now, ...configured },
      };
      await store.putResource(cseBase);
    } else {
      const { poa: _previousPoa, ...kept } = stored.attrs;
      const refreshed = { ...kept, ...configured };
      cseBase = isDeepStrictEqual(refreshed, stored.attrs) ? stored : { ...stored, attrs: { ...refreshed, lt: oneM2MTimestamp() } };
      if (cseBase !== stored) await store.putResource(cseBase);
    }
    return new ResourceTree(store, { cseId: config.cseId, cseName: config.cseName, spId: config.spId }, cseBase, config.defaultExpirationS);
  }

  get cseId(): string {
    return this.own.cseId;
  }

  get cseName(): string {
    return this.cseBase.rn;
  }

  /** The resource a `To` parameter addresses; 4004 / 5103 / 4000 as RequestError. */
  async resolve(to: string): Promise<StoredResource> {
    const target = parseTarget(to, this.own);
    const found = target.kind === 'path' ? await this.store.getResourceByPath(target.path) : await this.store.getResource(target.ri);
    if (!found) throw new RequestError(RSC.NOT_FOUND, `no resource "${to}"`);
    // an expired resource is gone even before the sweep deletes it
    if (await this.hasExpired(found)) throw new RequestError(RSC.NOT_FOUND, `no resource "${to}" (it expired)`);
    return found;
  }

  /**
   * Whether a `<node>` or `<mgmtObj>` has expired: its et, or its node's, has passed, and it stands for no device
   * (see expiry.ts). Reads the parent of a mgmtObj only. A `<subscription>` expires by its own et.
   */
  async hasExpired(resource: StoredResource, now = Date.now()): Promise<boolean> {
    if (!isExpirableType(resource.ty)) return false;
    // a subscription is the subscriber's, never the device's: its own et ends it
    if (resource.ty === RESOURCE_TYPE.subscription) return etHasPassed(resource, now);
    if (resource.ty === RESOURCE_TYPE.node) return !isDeviceNode(resource) && etHasPassed(resource, now);
    const node = await this.store.getResource(resource.pi);
    if (!node) return false;
    if (isDeviceNode(node)) return false;
    return etHasPassed(node, now) || etHasPassed(resource, now);
  }

  /** The et of a CSE's resource created without one: DEFAULT_EXPIRATION_S from now. */
  defaultExpirationTime(): string {
    return defaultExpirationTime(this.defaultExpirationS);
  }

  /** One bounded step of a scan over resources whose et has passed (ResourceStore.findExpired). */
  findExpired(query: ExpiredQuery): Promise<ExpiredChunk> {
    return this.store.findExpired(query);
  }

  get(ri: string): Promise<StoredResource | undefined> {
    return this.store.getResource(ri);
  }

  children(resource: StoredResource): Promise<StoredResource[]> {
    return this.store.listChildren(resource.ri);
  }

  findChild(parent: StoredResource, rn: string): Promise<StoredResource | undefined> {
    return this.store.getResourceByPath(`${parent.path}/${rn}`);
  }

  /** The `<node>`s whose ni is `ni` (one, unless stored before ni was kept unique), in creation order. */
  nodesByNodeId(ni: string): Promise<StoredResource[]> {
    return this.store.findNodesByNodeId(ni);
  }

  /** One bounded step of a scan over a resource's descendants in creation order (ResourceStore.findDescendants). */
  findDescendants(query: DescendantQuery): Promise<DescendantChunk> {
    return this.store.findDescendants(query);
  }

  specOf(resource: StoredResource): ResourceTypeSpec {
    if (resource.ty === RESOURCE_TYPE.CSEBase) return CSE_BASE_SPEC;
    if (resource.ty === RESOURCE_TYPE.node) return NODE_SPEC;
    if (resource.ty === RESOURCE_TYPE.request) return REQUEST_SPEC;
    const spec = resource.ty === RESOURCE_TYPE.mgmtObj ? mgmtObjSpecByMgd(Number(resource.attrs.mgd)) : undefined;
    if (!spec) throw new Error(`stored resource ${resource.ri} has no known type (ty ${resource.ty}, mgd ${String(resource.attrs.mgd)})`);
    return spec;
  }

  /** Name of the `<node>` a resource belongs to (its second path segment), undefined for the CSEBase and `<request>`s. */
  nodeNameOf(resource: Pick<StoredResource, 'ty' | 'path'>): string | undefined {
    return resource.ty === RESOURCE_TYPE.request ? undefined : resource.path.split('/')[1];
  }

  /** A new child (not stored yet) with the universal attributes set; `rn` defaults to the generated ri. */
  newChild(parent: StoredResource, spec: ResourceTypeSpec, content: Record<string, unknown>, internal: Record<string, unknown>): StoredResource {
    const ri = newResourceId(spec.rootKey);
    const rn = typeof content.rn === 'string' ? content.rn : ri;
    const now = oneM2MTimestamp();
    return {
      ri, pi: parent.ri, ty: spec.ty, rn, path: `${parent.path}/${rn}`, internal,
      attrs: { ty: spec.ty, ri, rn, pi: parent.ri, ct: now, lt: now, ...content },
    };
  }

  /** The resource with `changes` merged into its attributes and `lt` renewed (not stored yet). */
  withChanges(resource: StoredResource, changes: Record<string, unknown>): StoredResource {
    return { ...resource, attrs: { ...resource.attrs, ...changes, lt: oneM2MTimestamp() } };
  }

  /**
   * Stores resources and deletes subtrees in one atomic write, only while `conditions` hold (ResourceConditionError
   * otherwise: run it in `retrying`); a name taken twice under one parent → 4105.
   */
  async commit(resources: StoredResource[], deleteRis: string[] = [], conditions: ResourceCondition[] = []): Promise<void> {
    const before = this.watcher ? await this.watchedBefore(this.watcher, resources, deleteRis) : undefined;
    try {
      await this.store.putResources(resources, deleteRis, conditions);
    } catch (error) {
      if (error instanceof ResourceConflictError) throw new RequestError(RSC.CONFLICT, error.message);
      throw error;
    }
    if (before) this.report(before.changes(resources));
  }

  /**
   * Who hears of changes (the subscriptions). The tree reads what a write replaces only for the resources it watches,
   * so a tree without subscriptions writes as fast as before.
   */
  watch(watcher: ChangeWatcher): void {
    this.watcher = watcher;
  }

  /** What a commit is about to replace and delete, of what the watcher watches (read before the write). */
  private async watchedBefore(watcher: ChangeWatcher, resources: readonly StoredResource[], deleteRis: readonly string[]): Promise<{ changes(written: readonly StoredResource[]): ResourceChange[] }> {
    const previous = new Map<string, StoredResource | undefined>();
    for (const resource of resources) if (watcher.watches(resource)) previous.set(resource.ri, await this.store.getResource(resource.ri));
    const deleted: StoredResource[] = [];
    if (watcher.watchesDeletes()) {
      for (const ri of deleteRis) {
        const doomed = await this.store.getResource(ri);
        if (doomed) deleted.push(doomed);
      }
    }
    return {
      changes: (written) => [
        ...deleted.map((resource): ResourceChange => ({ kind: 'deleted', resource })),
        ...written.flatMap((resource): ResourceChange[] => {
          if (!previous.has(resource.ri)) return [];
          const before = previous.get(resource.ri);
          if (!before) return [{ kind: 'created', resource }];
          return isDeepStrictEqual(before.attrs, resource.attrs) ? [] : [{ kind: 'updated', resource, previous: before }];
        }),
      ],
    };
  }

  private report(changes: ResourceChange[]): void {
    if (changes.length === 0 || !this.watcher) return;
    try {
      this.watcher.changed(changes);
    } catch {
      // a watcher's failure is its own (it logs it): the write it hears of has happened
    }
  }

  /** Runs a read-compute-commit again while its commit finds that what it read has changed meanwhile. */
  async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let remaining = COMMIT_ATTEMPTS - 1; ; remaining--) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ResourceConditionError) || remaining === 0) throw error;
      }
    }
  }

  async delete(resource: StoredResource): Promise<string[]> {
    const deleted = await this.store.deleteResource(resource.ri);
    if (deleted.length > 0) this.report([{ kind: 'deleted', resource }]);
    return deleted;
  }
}

/**
 * A ResourceStore as a second writer sharing it would make it look (another proxy instance on a shared store):
 * `before(action)` runs `action` against the real store just before the tree's next atomic write, i.e. after the
 * tree read what it is about to write on.
 */
import type { ResourceStore } from '../../src/store/resource-store.js';

export interface InterferingStore {
  store: ResourceStore;
  before(action: (inner: ResourceStore) => Promise<void>): void;
  /** How many atomic writes the tree attempted. */
  writes: number;
}

export function interferingStore(inner: ResourceStore): InterferingStore {
  let pending: ((inner: ResourceStore) => Promise<void>) | undefined;
  const interfering: InterferingStore = {
    writes: 0,
    before(action) {
      pending = action;
    },
    store: {
      getResource: (ri) => inner.getResource(ri),
      getResourceByPath: (path) => inner.getResourceByPath(path),
      listChildren: (pi) => inner.listChildren(pi),
      findNodesByNodeId: (ni) => inner.findNodesByNodeId(ni),
      findDescendants: (query) => inner.findDescendants(query),
      findExpired: (query) => inner.findExpired(query),
      putResource: (resource) => inner.putResource(resource),
      deleteResource: (ri) => inner.deleteResource(ri),
      async putResources(resources, deleteRis, conditions) {
        interfering.writes++;
        const action = pending;
        pending = undefined;
        if (action) await action(inner);
        return inner.putResources(resources, deleteRis, conditions);
      },
    },
  };
  return interfering;
}

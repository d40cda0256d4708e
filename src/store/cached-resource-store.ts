import type { ResourceStore, StoredResource } from './resource-store.js';
import { WriteMarks } from './write-marks.js';

/** Freezes every value nested in `value` (the caller's copies of the outer levels stay theirs). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const nested of Object.values(value)) deepFreeze(nested);
}

/** A resource as kept: the nested attribute values are frozen, so readers can share them. */
function kept(resource: StoredResource): StoredResource {
  for (const value of Object.values(resource.attrs)) deepFreeze(value);
  for (const value of Object.values(resource.internal)) deepFreeze(value);
  return resource;
}

/** The reader's own copy: its fields, `attrs` and `internal` are fresh objects; nested values are the frozen shared ones. */
function copyOf(resource: StoredResource): StoredResource {
  return { ...resource, attrs: { ...resource.attrs }, internal: { ...resource.internal } };
}

/**
 * `inner` with the resources read by ri and by path kept in memory (the hot path reads the target, its node and the
 * mgmtObj again for every device Retrieve). Every write goes to `inner`; the resources it names are forgotten before
 * and after it (a delete forgets everything: it removes whole subtrees). A read keeps what it read only when no write
 * of that resource (its ri, its path, or the path it was asked by) nor any delete overlapped it, so the next read after
 * a write sees that write, while reads of other resources stay cached under a steady flow of writes (device values are
 * stored on most Retrieves). At most `maxEntries` resources are kept, least recently read first out. Reads return
 * copies down to the attributes (see the ResourceStore contract).
 */
export function cachedResourceStore(inner: ResourceStore, maxEntries: number): ResourceStore {
  const byRi = new Map<string, StoredResource>();
  const riByPath = new Map<string, string>();
  const marks = new WriteMarks();

  const forget = (ri: string): void => {
    const entry = byRi.get(ri);
    if (entry === undefined) return;
    byRi.delete(ri);
    if (riByPath.get(entry.path) === ri) riByPath.delete(entry.path);
  };
  const forgetAll = (): void => {
    byRi.clear();
    riByPath.clear();
  };
  const remember = (resource: StoredResource): StoredResource => {
    const entry = kept(resource);
    forget(entry.ri);
    byRi.set(entry.ri, entry);
    riByPath.set(entry.path, entry.ri);
    if (byRi.size > maxEntries) forget(byRi.keys().next().value!);
    return entry;
  };
  const touched = (entry: StoredResource): StoredResource => {
    // Map order is the eviction order: a hit moves to the back
    byRi.delete(entry.ri);
    byRi.set(entry.ri, entry);
    return copyOf(entry);
  };
  const read = async (askedBy: string, load: () => Promise<StoredResource | undefined>): Promise<StoredResource | undefined> => {
    const start = marks.readStarted();
    try {
      const found = await load();
      if (found === undefined || maxEntries === 0) return found;
      const keys = [askedBy, WriteMarks.riKey(found.ri), WriteMarks.pathKey(found.path)];
      return marks.unchangedSince(start, keys) ? copyOf(remember(found)) : found;
    } finally {
      marks.readEnded(start);
    }
  };
  const write = async <T>(written: readonly StoredResource[] | 'every key', run: () => Promise<T>): Promise<T> => {
    const keys = written === 'every key' ? written : written.flatMap((r) => [WriteMarks.riKey(r.ri), WriteMarks.pathKey(r.path)]);
    const forgetWritten = (): void => {
      if (written === 'every key') return forgetAll();
      for (const resource of written) {
        forget(resource.ri);
        riByPath.delete(resource.path);
      }
    };
    marks.writeStarted(keys);
    forgetWritten();
    try {
      return await run();
    } finally {
      marks.writeEnded(keys);
      forgetWritten();
    }
  };

  return {
    getResource(ri) {
      const entry = byRi.get(ri);
      return entry ? Promise.resolve(touched(entry)) : read(WriteMarks.riKey(ri), () => inner.getResource(ri));
    },
    getResourceByPath(path) {
      const ri = riByPath.get(path);
      const entry = ri === undefined ? undefined : byRi.get(ri);
      return entry && entry.path === path ? Promise.resolve(touched(entry)) : read(WriteMarks.pathKey(path), () => inner.getResourceByPath(path));
    },
    listChildren(pi) {
      return inner.listChildren(pi);
    },
    findNodesByNodeId(ni) {
      return inner.findNodesByNodeId(ni);
    },
    findDescendants(query) {
      return inner.findDescendants(query);
    },
    findExpired(query) {
      return inner.findExpired(query);
    },
    putResource(resource) {
      return write([resource], () => inner.putResource(resource));
    },
    putResources(resources, deleteRis = [], conditions = []) {
      return write(deleteRis.length > 0 ? 'every key' : resources, () => inner.putResources(resources, deleteRis, conditions));
    },
    deleteResource(ri) {
      return write('every key', () => inner.deleteResource(ri));
    },
  };
}

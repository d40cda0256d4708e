import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedResourceStore } from '../../src/store/cached-resource-store.js';
import type { ResourceStore, StoredResource } from '../../src/store/resource-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const opened: Array<{ store: Store; dir: string }> = [];
afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function sqliteResources(): ResourceStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-test-'));
  const store = openSqliteStore(dir);
  opened.push({ store, dir });
  return store.resources;
}

/** `inner` with its reads counted. */
function counted(inner: ResourceStore): { store: ResourceStore; reads: () => number } {
  let reads = 0;
  const store: ResourceStore = {
    ...inner,
    getResource: (ri) => (reads++, inner.getResource(ri)),
    getResourceByPath: (p) => (reads++, inner.getResourceByPath(p)),
    listChildren: (pi) => (reads++, inner.listChildren(pi)),
  };
  return { store, reads: () => reads };
}

function node(ri: string, rn: string, attrs: Record<string, unknown> = {}): StoredResource {
  return { ri, pi: 'cb', ty: 14, rn, path: `proxy/${rn}`, attrs: { ri, rn, lbl: ['x'], ...attrs }, internal: { protocol: 'lwm2m' } };
}
const cseBase: StoredResource = { ri: 'cb', pi: '', ty: 5, rn: 'proxy', path: 'proxy', attrs: {}, internal: {} };

/** Reads `ri` by ri and by path so both are cached, then checks what they give after `write`. */
async function seenAfter(cache: ResourceStore, write: () => Promise<unknown>, ri: string, rn: string): Promise<[StoredResource | undefined, StoredResource | undefined]> {
  await cache.getResource(ri);
  await cache.getResourceByPath(`proxy/${rn}`);
  await write();
  return [await cache.getResource(ri), await cache.getResourceByPath(`proxy/${rn}`)];
}

test('repeated reads by ri and by path are answered from memory, as copies down to the attributes', async () => {
  const { store, reads } = counted(sqliteResources());
  const cache = cachedResourceStore(store, 100);
  await cache.putResources([cseBase, node('n1', 'alpha')]);
  const first = await cache.getResource('n1');
  const before = reads();
  for (let i = 0; i < 10; i++) {
    assert.deepEqual(await cache.getResource('n1'), first);
    assert.deepEqual(await cache.getResourceByPath('proxy/alpha'), first);
  }
  assert.equal(reads(), before, 'no read reached the store');
  const copy = (await cache.getResource('n1'))!;
  copy.attrs.rn = 'changed';
  copy.internal.protocol = 'changed';
  assert.throws(() => (copy.attrs.lbl as string[]).push('y'), TypeError, 'nested values are frozen');
  assert.deepEqual(await cache.getResource('n1'), first);
});

test('a write through any method is seen by the next read, by ri and by path', async () => {
  const inner = sqliteResources();
  const cache = cachedResourceStore(inner, 100);
  await cache.putResources([cseBase, node('n1', 'alpha'), node('n2', 'beta')]);

  let [byRi, byPath] = await seenAfter(cache, () => cache.putResource(node('n1', 'alpha', { v: 1 })), 'n1', 'alpha');
  assert.equal(byRi?.attrs.v, 1);
  assert.equal(byPath?.attrs.v, 1);

  [byRi, byPath] = await seenAfter(cache, () => cache.putResources([node('n1', 'alpha', { v: 2 })], [], [{ exists: 'n1' }]), 'n1', 'alpha');
  assert.equal(byRi?.attrs.v, 2);
  assert.equal(byPath?.attrs.v, 2);

  // renamed: the old path is free, the new one names it
  [byRi, byPath] = await seenAfter(cache, () => cache.putResource(node('n1', 'gamma')), 'n1', 'alpha');
  assert.equal(byRi?.path, 'proxy/gamma');
  assert.equal(byPath, undefined);
  assert.equal((await cache.getResourceByPath('proxy/gamma'))?.ri, 'n1');

  // deleted and replaced under the same name in one call
  [byRi, byPath] = await seenAfter(cache, () => cache.putResources([node('n3', 'beta')], ['n2']), 'n2', 'beta');
  assert.equal(byRi, undefined);
  assert.equal(byPath?.ri, 'n3');

  [byRi, byPath] = await seenAfter(cache, () => cache.deleteResource('n3'), 'n3', 'beta');
  assert.equal(byRi, undefined);
  assert.equal(byPath, undefined);

  // a child deleted with its parent's subtree
  await cache.putResource({ ...node('m1', 'm'), pi: 'n1', path: 'proxy/gamma/m' });
  assert.ok(await cache.getResource('m1'));
  await cache.deleteResource('n1');
  assert.equal(await cache.getResource('m1'), undefined);
  assert.equal(await cache.getResourceByPath('proxy/gamma/m'), undefined);
});

test('a read that overlapped a write keeps nothing: the next read sees the write', async () => {
  const inner = sqliteResources();
  await inner.putResources([cseBase, node('n1', 'alpha', { v: 'old' })]);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let readStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (readStarted = resolve));
  const slow: ResourceStore = {
    ...inner,
    async getResource(ri) {
      const found = await inner.getResource(ri);
      readStarted();
      await gate;
      return found;
    },
  };
  const cache = cachedResourceStore(slow, 100);
  const stale = cache.getResource('n1');
  await started;
  await cache.putResource(node('n1', 'alpha', { v: 'new' }));
  release();
  assert.equal((await stale)?.attrs.v, 'old', 'the overlapping read answers what it read');
  assert.equal((await cache.getResourceByPath('proxy/alpha'))?.attrs.v, 'new');
  assert.equal((await cache.getResource('n1'))?.attrs.v, 'new');
});

/** `inner` whose reads by ri and by path, once they have read, wait until `release()`; `started` resolves when one has read. */
function heldReads(inner: ResourceStore): { store: ResourceStore; started: () => Promise<void>; release: () => void; reads: () => number } {
  let release: () => void = () => {};
  let gate = new Promise<void>((resolve) => (release = resolve));
  let readStarted: () => void = () => {};
  let started = new Promise<void>((resolve) => (readStarted = resolve));
  let reads = 0;
  const held = async (found: StoredResource | undefined): Promise<StoredResource | undefined> => {
    reads++;
    readStarted();
    await gate;
    return found;
  };
  const store: ResourceStore = {
    ...inner,
    getResource: async (ri) => held(await inner.getResource(ri)),
    getResourceByPath: async (p) => held(await inner.getResourceByPath(p)),
  };
  return {
    store,
    started: () => started,
    release: () => {
      release();
      gate = new Promise<void>((resolve) => (release = resolve));
      started = new Promise<void>((resolve) => (readStarted = resolve));
    },
    reads: () => reads,
  };
}

test('a write keeps nothing of the reads of its own resources that overlapped it, and the others are kept', async () => {
  const inner = sqliteResources();
  await inner.putResources([cseBase, node('n1', 'alpha', { v: 'old' }), node('n2', 'beta', { v: 'other' })]);
  const held = heldReads(inner);
  const cache = cachedResourceStore(held.store, 100);

  // by ri and by path of the written resource, and of another resource, all in flight while the write runs
  const reads = [cache.getResource('n1'), cache.getResourceByPath('proxy/alpha'), cache.getResource('n2'), cache.getResourceByPath('proxy/beta')];
  await held.started();
  await cache.putResource(node('n1', 'alpha', { v: 'new' }));
  held.release();
  const [byRi, byPath, other, otherByPath] = await Promise.all(reads);
  assert.equal(byRi?.attrs.v, 'old', 'an overlapping read answers what it read');
  assert.equal(byPath?.attrs.v, 'old');
  assert.equal(other?.attrs.v, 'other');
  assert.equal(otherByPath?.attrs.v, 'other');

  const before = held.reads();
  const [other2, otherByPath2] = await Promise.all([cache.getResource('n2'), cache.getResourceByPath('proxy/beta')]);
  assert.equal(other2?.attrs.v, 'other');
  assert.equal(otherByPath2?.ri, 'n2');
  assert.equal(held.reads(), before, 'the other resource was kept: read from memory');

  const next = [cache.getResource('n1'), cache.getResourceByPath('proxy/alpha')];
  await held.started();
  held.release();
  const [byRi2, byPath2] = await Promise.all(next);
  assert.equal(byRi2?.attrs.v, 'new');
  assert.equal(byPath2?.attrs.v, 'new');
  assert.equal(held.reads(), before + 2, 'the written resource was read again from the store');
});

test('a read by the old path that overlapped a rename keeps nothing', async () => {
  const inner = sqliteResources();
  await inner.putResources([cseBase, node('n1', 'alpha')]);
  const held = heldReads(inner);
  const cache = cachedResourceStore(held.store, 100);

  const stale = cache.getResourceByPath('proxy/alpha');
  await held.started();
  await cache.putResource(node('n1', 'gamma'));
  held.release();
  assert.equal((await stale)?.path, 'proxy/alpha', 'it answers what it read');

  const afterwards = [cache.getResourceByPath('proxy/alpha'), cache.getResource('n1')];
  await held.started();
  held.release();
  const [byOldPath, byRi] = await Promise.all(afterwards);
  assert.equal(byOldPath, undefined, 'the old path names nothing any more');
  assert.equal(byRi?.path, 'proxy/gamma');
});

test('a read that overlapped a delete keeps nothing, whatever it read', async () => {
  const inner = sqliteResources();
  await inner.putResources([cseBase, node('n1', 'alpha'), node('n2', 'beta')]);
  const held = heldReads(inner);
  const cache = cachedResourceStore(held.store, 100);

  const overlapping = cache.getResource('n1');
  await held.started();
  await cache.deleteResource('n2');
  held.release();
  assert.equal((await overlapping)?.ri, 'n1');
  const again = cache.getResource('n1');
  await held.started();
  held.release();
  assert.equal((await again)?.ri, 'n1');
  assert.equal(held.reads(), 2, 'the overlapping read was not kept');
});

test('at most maxEntries resources are kept, the least recently read going first', async () => {
  const { store, reads } = counted(sqliteResources());
  const cache = cachedResourceStore(store, 2);
  await cache.putResources([cseBase, node('a', 'a'), node('b', 'b'), node('c', 'c')]);
  await cache.getResource('a');
  await cache.getResource('b');
  await cache.getResource('a');
  await cache.getResource('c'); // b goes
  const before = reads();
  await cache.getResource('a');
  await cache.getResource('c');
  assert.equal(reads(), before);
  await cache.getResource('b');
  assert.equal(reads(), before + 1);
  const none = cachedResourceStore(store, 0);
  await none.getResource('a');
  await none.getResource('a');
  assert.equal(reads(), before + 3, 'RESOURCE_CACHE_ENTRIES=0 keeps nothing');
});

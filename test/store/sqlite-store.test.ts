import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { ResourceConflictError } from '../../src/store/store-errors.js';
import type { Store, StoredResource } from '../../src/store/store.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
}

function resource(ri: string, pi: string, rn: string, parentPath = 'proxy'): StoredResource {
  const resourcePath = pi === '' ? rn : `${parentPath}/${rn}`;
  return { ri, pi, ty: pi === '' ? 5 : 14, rn, path: resourcePath, attrs: { ri, rn, pi, lbl: ['a', 'b'] }, internal: { protocol: 'lwm2m' } };
}

async function withStore(fn: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const store = openSqliteStore(dir);
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('creates the data directory and proxy.db in WAL mode', async (t) => {
  const root = tempDir();
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'nested', 'data');
  const store = openSqliteStore(dir);
  await store.close();
  const raw = new Database(path.join(dir, 'proxy.db'), { readonly: true });
  try {
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    raw.close();
  }
});

test('resources round-trip by ri and by path, children in insertion order', async () => {
  await withStore(async (store) => {
    await store.putResource(resource('cb1', '', 'proxy'));
    await store.putResource(resource('n2', 'cb1', 'zeta'));
    await store.putResource(resource('n1', 'cb1', 'alpha'));
    const byRi = await store.getResource('n2');
    assert.deepEqual(byRi, resource('n2', 'cb1', 'zeta'));
    assert.deepEqual(await store.getResourceByPath('proxy/alpha'), resource('n1', 'cb1', 'alpha'));
    assert.deepEqual((await store.listChildren('cb1')).map((r) => r.ri), ['n2', 'n1']);
    assert.equal(await store.getResource('missing'), undefined);
    assert.equal(await store.getResourceByPath('proxy/missing'), undefined);
    assert.deepEqual(await store.listChildren('n1'), []);
  });
});

test('putResource replaces a resource with the same ri', async () => {
  await withStore(async (store) => {
    await store.putResource(resource('n1', 'cb1', 'alpha'));
    await store.putResource({ ...resource('n1', 'cb1', 'alpha'), attrs: { changed: true } });
    assert.deepEqual((await store.getResource('n1'))?.attrs, { changed: true });
    assert.equal((await store.listChildren('cb1')).length, 1);
  });
});

test('a second sibling with the same name is refused with ResourceConflictError and nothing changes', async () => {
  await withStore(async (store) => {
    await store.putResource(resource('n1', 'cb1', 'alpha'));
    await assert.rejects(store.putResource(resource('n2', 'cb1', 'alpha')), ResourceConflictError);
    assert.equal(await store.getResource('n2'), undefined);
    assert.equal((await store.getResourceByPath('proxy/alpha'))?.ri, 'n1');
  });
});

test('putResources is all or nothing: a failing write undoes earlier writes and deletes of the same call', async () => {
  await withStore(async (store) => {
    await store.putResource(resource('keep', 'cb1', 'keep'));
    const batch = [resource('a', 'cb1', 'first'), resource('b', 'cb1', 'second'), resource('c', 'cb1', 'first')];
    await assert.rejects(store.putResources(batch, ['keep']), ResourceConflictError);
    assert.equal(await store.getResource('a'), undefined);
    assert.equal(await store.getResource('b'), undefined);
    assert.equal((await store.getResource('keep'))?.rn, 'keep');
  });
});

test('putResources deletes first, so a resource can be replaced under the same name in one call', async () => {
  await withStore(async (store) => {
    await store.putResource(resource('old', 'cb1', 'name'));
    await store.putResource({ ...resource('oldchild', 'old', 'child', 'proxy/name'), ty: 13 });
    await store.putResources([resource('new', 'cb1', 'name')], ['old']);
    assert.equal((await store.getResourceByPath('proxy/name'))?.ri, 'new');
    assert.equal(await store.getResource('oldchild'), undefined);
  });
});

test('deleteResource cascades to every descendant and returns the deleted ris', async () => {
  await withStore(async (store) => {
    await store.putResources([
      resource('cb1', '', 'proxy'),
      resource('n1', 'cb1', 'node1'),
      { ...resource('m1', 'n1', 'firmware', 'proxy/node1'), ty: 13 },
      { ...resource('m2', 'n1', 'battery', 'proxy/node1'), ty: 13 },
      resource('n2', 'cb1', 'node2'),
    ]);
    const deleted = await store.deleteResource('n1');
    assert.deepEqual([...deleted].sort(), ['m1', 'm2', 'n1']);
    assert.equal(await store.getResource('m1'), undefined);
    assert.equal((await store.getResource('n2'))?.rn, 'node2');
    assert.deepEqual(await store.deleteResource('n1'), []);
  });
});

test('records: put, get, list by kind, delete', async () => {
  await withStore(async (store) => {
    await store.putRecord('registration', 'ep-b', { lifetime: 60 });
    await store.putRecord('registration', 'ep-a', { lifetime: 30 });
    await store.putRecord('bootstrap', 'ep-a', ['x']);
    await store.putRecord('registration', 'ep-a', { lifetime: 90 });
    assert.deepEqual(await store.getRecord('registration', 'ep-a'), { lifetime: 90 });
    assert.deepEqual(await store.listRecords('registration'), [
      { key: 'ep-a', value: { lifetime: 90 } },
      { key: 'ep-b', value: { lifetime: 60 } },
    ]);
    assert.equal(await store.deleteRecord('registration', 'ep-a'), true);
    assert.equal(await store.deleteRecord('registration', 'ep-a'), false);
    assert.equal(await store.getRecord('registration', 'ep-a'), undefined);
    assert.deepEqual(await store.getRecord('bootstrap', 'ep-a'), ['x']);
  });
});

test('everything survives closing and reopening the same data directory', async () => {
  const dir = tempDir();
  try {
    const first = openSqliteStore(dir);
    await first.putResources([resource('cb1', '', 'proxy'), resource('n1', 'cb1', 'node1')]);
    await first.putRecord('k', 'v', { n: 1 });
    await first.close();
    const second = openSqliteStore(dir);
    try {
      assert.deepEqual(await second.getResourceByPath('proxy/node1'), resource('n1', 'cb1', 'node1'));
      assert.deepEqual(await second.getRecord('k', 'v'), { n: 1 });
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

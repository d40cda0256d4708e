import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import { ResourceConflictError } from '../../src/store/store-errors.js';

/** A device's mgmtObj as registration makes it: the same attributes and internal data on every device of a model. */
function memory(device: number): StoredResource {
  const ri = `mem${device}`;
  return {
    ri, pi: `nod${device}`, ty: 13, rn: 'memory', path: `proxy/dev${device}/memory`, internal: { type: 'memory', discovered: true },
    attrs: { ty: 13, ri, rn: 'memory', pi: `nod${device}`, ct: '20250101T000000', lt: '20250101T000000', mgd: 1003, obps: ['/3/0'], lbl: ['lwm2m'] },
  };
}

function node(device: number, label: string): StoredResource {
  return { ri: `nod${device}`, pi: 'cb1', ty: 14, rn: `dev${device}`, path: `proxy/dev${device}`, internal: { deviceId: `urn:dev${device}` }, attrs: { ni: `urn:dev${device}`, lbl: [label] } };
}

function rawColumns(dir: string): Map<string, { attrs: string; internal: string }> {
  const raw = new Database(path.join(dir, 'proxy.db'), { readonly: true });
  try {
    const rows = raw.prepare<[], { ri: string; attrs: string; internal: string }>('SELECT ri, attrs, internal FROM resources').all();
    return new Map(rows.map(({ ri, attrs, internal }) => [ri, { attrs, internal }]));
  } finally {
    raw.close();
  }
}

test('SQLite: JSON that several resources hold verbatim is stored once; reads, discovery filters and reopening see it in place', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-shared-'));
  try {
    let store = openSqliteStore(dir);
    const devices = [0, 1, 2, 3];
    for (const device of devices) await store.resources.putResources([node(device, 'online'), memory(device)]);
    await store.resources.putResource(node(0, 'offline'));
    await store.resources.putResource(node(0, 'offline'));
    await store.close();

    const columns = rawColumns(dir);
    for (const device of [1, 2, 3]) {
      assert.match(columns.get(`mem${device}`)!.attrs, /^~\d+$/, 'the later devices name the shared attributes');
      assert.match(columns.get(`mem${device}`)!.internal, /^~\d+$/);
    }
    assert.match(columns.get('nod0')!.attrs, /^\{/, 'a resource writing its own attributes again keeps them in its row');

    store = openSqliteStore(dir);
    for (const device of devices) assert.deepEqual(await store.resources.getResource(`mem${device}`), memory(device));
    assert.deepEqual(await store.resources.getResourceByPath('proxy/dev2/memory'), memory(2));
    assert.deepEqual(await store.resources.listChildren('nod3'), [memory(3)]);
    const byMgd = await store.resources.findDescendants({ under: 'proxy', mgd: [1003], window: 100 });
    assert.deepEqual(byMgd.matches.map((match) => match.ri), devices.map((device) => `mem${device}`));
    const byLabel = await store.resources.findDescendants({ under: 'proxy/dev1', lbl: ['lwm2m'], window: 100 });
    assert.deepEqual(byLabel.matches.map((match) => match.ri), ['mem1']);
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: a text shared by a write that was refused is not named by any later row', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-shared-'));
  try {
    const store = openSqliteStore(dir);
    const fresh = (device: number): StoredResource => ({ ...memory(device), attrs: { mgd: 1009, obps: ['/9/0'] } });
    await store.resources.putResource(fresh(0));
    // fresh(1) would share the text with fresh(0), but its batch fails on the name conflict and is rolled back
    await assert.rejects(store.resources.putResources([fresh(1), { ...fresh(2), path: fresh(0).path }]), ResourceConflictError);
    await store.resources.putResources([{ ...memory(5), attrs: { other: true } }, { ...memory(6), attrs: { other: true } }]);
    await store.resources.putResources([fresh(1), fresh(2)]);
    for (const device of [0, 1, 2]) assert.deepEqual(await store.resources.getResource(`mem${device}`), fresh(device));
    assert.deepEqual((await store.resources.getResource('mem6'))?.attrs, { other: true });
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

interface TestRegistration {
  endpoint: string;
  id: string;
  address: string;
  port: number;
  lifetime: number;
  objects: number[][];
  queueMode?: boolean;
}

test('SQLite: a registration\'s field names are stored once for all registrations of a kind; values read back as put', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-shared-'));
  try {
    let store = openSqliteStore(dir);
    const registration = (n: number): TestRegistration => ({ endpoint: `urn:dev${n}`, id: `r${n}`, address: '127.0.0.1', port: 5683 + n, lifetime: 60, objects: [[3, 0]] });
    const withUndefined = { ...registration(3), queueMode: undefined };
    await store.registrations<TestRegistration>('lwm2m').put(registration(1), 1000);
    await store.registrations<TestRegistration>('lwm2m').put(registration(2), 1000);
    await store.registrations<TestRegistration>('lwm2m').put(withUndefined, 1000);
    await store.close();

    const raw = new Database(path.join(dir, 'proxy.db'), { readonly: true });
    try {
      const row = raw.prepare<[], { value: string; shape: string }>('SELECT value, shape FROM registrations WHERE endpoint = \'urn:dev2\'').get();
      assert.deepEqual(JSON.parse(row!.value), [60, [[3, 0]]]);
      assert.match(row!.shape, /^~\d+$/);
    } finally {
      raw.close();
    }
    store = openSqliteStore(dir);
    const reopened = store.registrations<TestRegistration>('lwm2m');
    assert.deepEqual(await reopened.byEndpoint('urn:dev1'), registration(1));
    assert.deepEqual(await reopened.byId('r2'), registration(2));
    assert.deepEqual(await reopened.byAddress('127.0.0.1', 5686), registration(3));
    assert.deepEqual(await reopened.list(), [1, 2, 3].map(registration));
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

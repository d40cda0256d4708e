import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import type { DeviceRegistration } from '../../src/store/registration-store.js';

/** The tables as the versions before stored bytes were cut wrote them, with rows written the way they wrote them. */
const EARLIER_SCHEMA = `
CREATE TABLE resources (
  ri TEXT PRIMARY KEY, pi TEXT NOT NULL, ty INTEGER NOT NULL, rn TEXT NOT NULL, path TEXT NOT NULL UNIQUE,
  attrs TEXT NOT NULL, internal TEXT NOT NULL, UNIQUE (pi, rn)
);
CREATE TABLE registrations (
  kind TEXT NOT NULL, endpoint TEXT NOT NULL, id TEXT NOT NULL, address TEXT NOT NULL, port INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, seq INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, endpoint), UNIQUE (kind, id)
);
CREATE INDEX registrations_by_address ON registrations (kind, address, port, seq);
CREATE INDEX registrations_by_expiry ON registrations (kind, expires_at);
CREATE INDEX registrations_by_seq ON registrations (seq);`;

interface TestRegistration extends DeviceRegistration {
  lifetime: number;
  objects: number[][];
}

const cseBase: StoredResource = {
  ri: 'cb1', pi: '', ty: 5, rn: 'proxy', path: 'proxy', internal: {},
  attrs: { ty: 5, ri: 'cb1', rn: 'proxy', pi: '', ct: '20250101T000000', lt: '20250101T000000', csi: '/id-proxy' },
};
const node: StoredResource = {
  ri: 'nod1', pi: 'cb1', ty: 14, rn: 'dev1', path: 'proxy/dev1', internal: { protocol: 'lwm2m', deviceId: 'urn:dev1' },
  attrs: { ty: 14, ri: 'nod1', rn: 'dev1', pi: 'cb1', ct: '20250101T000000', lt: '20250102T000000', ni: 'urn:dev1', lbl: ['lwm2m', 'online'] },
};
const mgmtObj: StoredResource = {
  ri: 'fwr1', pi: 'nod1', ty: 13, rn: 'firmware', path: 'proxy/dev1/firmware', internal: { type: 'firmware', discovered: true },
  attrs: { ty: 13, ri: 'fwr1', rn: 'firmware', pi: 'nod1', ct: '20250101T000000', lt: '20250101T000000', mgd: 1001, obps: ['/5/0'] },
};
const registration: TestRegistration = { endpoint: 'urn:dev1', id: 'r1', address: '127.0.0.1', port: 5683, lifetime: 60, objects: [[3, 0]] };
const laterAtSameAddress: TestRegistration = { ...registration, endpoint: 'urn:dev0', id: 'r0' };

function earlierDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-earlier-'));
  const db = new Database(path.join(dir, 'proxy.db'));
  db.exec(EARLIER_SCHEMA);
  const insert = db.prepare('INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const r of [cseBase, node, mgmtObj]) insert.run(r.ri, r.pi, r.ty, r.rn, r.path, JSON.stringify(r.attrs), JSON.stringify(r.internal));
  const insertRegistration = db.prepare('INSERT INTO registrations VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  // inserted first but put last (seq 2): the latest at its address
  insertRegistration.run('lwm2m', laterAtSameAddress.endpoint, laterAtSameAddress.id, laterAtSameAddress.address, laterAtSameAddress.port, 1000, 2, JSON.stringify(laterAtSameAddress));
  insertRegistration.run('lwm2m', registration.endpoint, registration.id, registration.address, registration.port, 1000, 1, JSON.stringify(registration));
  db.close();
  return dir;
}

test('SQLite: a data dir written by earlier versions reads as written (the latest put at an address still wins), takes new writes, and discovery still finds by label', async () => {
  const dir = earlierDataDir();
  try {
    let store = openSqliteStore(dir);
    assert.deepEqual(await store.resources.getResource('nod1'), node);
    assert.deepEqual(await store.resources.getResourceByPath('proxy/dev1/firmware'), mgmtObj);
    assert.deepEqual(await store.resources.listChildren(''), [cseBase]);
    assert.deepEqual(await store.resources.findNodesByNodeId('urn:dev1'), [node], 'a node stored before nodes were indexed by ni is found by it');
    const registrations = store.registrations<TestRegistration>('lwm2m');
    assert.deepEqual(await registrations.byId('r1'), registration);
    assert.deepEqual(await registrations.list(), [laterAtSameAddress, registration]);
    assert.deepEqual(await registrations.byAddress('127.0.0.1', 5683), laterAtSameAddress);

    const battery: StoredResource = { ...mgmtObj, ri: 'bat1', rn: 'battery', path: 'proxy/dev1/battery', attrs: { ...mgmtObj.attrs, ri: 'bat1', rn: 'battery', mgd: 1006 } };
    const renamed = { ...node, attrs: { ...node.attrs, lbl: ['lwm2m', 'offline'] } };
    await store.resources.putResources([battery, renamed], [], [{ unchanged: node }]);
    await registrations.put({ ...registration, id: 'r2', port: 5684 }, 2000);
    await store.close();

    store = openSqliteStore(dir);
    assert.deepEqual(await store.resources.listChildren('nod1'), [mgmtObj, battery]);
    assert.deepEqual(await store.resources.getResource('nod1'), renamed);
    const reopened = store.registrations<TestRegistration>('lwm2m');
    assert.deepEqual(await reopened.byAddress('127.0.0.1', 5684), { ...registration, id: 'r2', port: 5684 });
    await reopened.put({ ...laterAtSameAddress, port: 5684 }, 3000);
    assert.deepEqual(await reopened.byAddress('127.0.0.1', 5684), { ...laterAtSameAddress, port: 5684 });
    const offline = await store.resources.findDescendants({ under: 'proxy', lbl: ['offline'], window: 10 });
    assert.deepEqual(offline.matches.map((m) => m.ri), ['nod1']);
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: attributes held in columns are stored once and read back in place, whichever of them a resource has', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-folded-'));
  try {
    const store = openSqliteStore(dir);
    const partial: StoredResource = { ri: 'p1', pi: 'cb1', ty: 14, rn: 'dev2', path: 'proxy/dev2', internal: {}, attrs: { rn: 'other', lt: 'x', ty: 14 } };
    const oddTimes = (ri: string, ct: unknown): StoredResource => ({ ...partial, ri, rn: ri, path: `proxy/${ri}`, attrs: { ty: 14, ri, ct, lt: ct, x: 1 } });
    const resources = [cseBase, node, mgmtObj, partial, oddTimes('t1', '20251340T000000'), oddTimes('t2', 'soon'), oddTimes('t3', 20250101), oddTimes('t4', '19000101T235959')];
    await store.resources.putResources(resources);
    for (const resource of resources) {
      const read = await store.resources.getResource(resource.ri);
      assert.deepEqual(read, resource);
      assert.deepEqual(Object.keys(read!.attrs), Object.keys(resource.attrs), `attribute order of ${resource.ri}`);
    }
    await store.close();
    const raw = new Database(path.join(dir, 'proxy.db'), { readonly: true });
    try {
      const stored = raw.prepare<[string], { attrs: string; ct_seconds: number }>('SELECT attrs, ct_seconds FROM resources WHERE ri = ?').get('fwr1');
      assert.deepEqual(JSON.parse(stored!.attrs), { mgd: 1001, obps: ['/5/0'] });
      assert.equal(stored!.ct_seconds, Date.UTC(2025, 0, 1) / 1000);
    } finally {
      raw.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

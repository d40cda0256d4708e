/** The tree writes on what it read only while that still holds: another writer between its read and its write loses nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { body, createNode, openHarness, type TreeHarness } from './tree-harness.js';
import { ScriptedDeviceAdapter } from './scripted-device-adapter.js';
import { interferingStore, type InterferingStore } from './interfering-store.js';

async function open(): Promise<{ h: TreeHarness; other: InterferingStore }> {
  let other: InterferingStore | undefined;
  const h = await openHarness({}, undefined, (store) => (other = interferingStore(store)).store);
  return { h, other: other! };
}

test('an Update of a <node> keeps what another writer changed after the node was read', async (t) => {
  const { h, other } = await open();
  t.after(() => h.close());
  await createNode(h, 'n1', { lbl: ['original'] });
  other.before(async (store) => {
    const node = (await store.getResourceByPath('proxy/n1'))!;
    await store.putResource({ ...node, attrs: { ...node.attrs, lbl: ['from-another-writer'] } });
  });
  const updated = await h.request({ op: Operation.Update, to: 'proxy/n1', pc: { 'm2m:nod': { mgca: 'coap://127.0.0.1:1' } } });
  assert.equal(updated.rsc, 2004);
  const stored = body(await h.request({ op: Operation.Retrieve, to: 'proxy/n1' }));
  assert.equal(stored.mgca, 'coap://127.0.0.1:1');
  assert.deepEqual(stored.lbl, ['from-another-writer']);
});

test('an Update of a <node> another writer deleted after it was read is 4004 and does not bring it back', async (t) => {
  const { h, other } = await open();
  t.after(() => h.close());
  const node = await createNode(h, 'n1');
  other.before(async (store) => {
    await store.deleteResource(String(node.ri));
  });
  const updated = await h.request({ op: Operation.Update, to: 'proxy/n1', pc: { 'm2m:nod': { lbl: ['late'] } } });
  assert.equal(updated.rsc, 4004);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/n1' })).rsc, 4004);
});

test('a Create of a <mgmtObj> whose <node> another writer deleted before the commit is 4004 and stores no orphan', async (t) => {
  const { h, other } = await open();
  t.after(() => h.close());
  h.adapters.register(new ScriptedDeviceAdapter());
  await h.devices.upsertDevice({ protocol: 'lwm2m', deviceId: 'urn:imei:1', address: 'coap://127.0.0.1:5690', online: true, mgmtObjs: [] });
  const node = body(await h.request({ op: Operation.Retrieve, to: 'proxy/imei:1' }));
  other.before(async (store) => {
    await store.deleteResource(String(node.ri));
  });
  const created = await h.request({ op: Operation.Create, to: 'proxy/imei:1', ty: 13, pc: { 'm2m:swr': { rn: 'app', mgd: 1002, vr: '1', swn: 'app', url: 'http://repo/app' } } });
  assert.equal(created.rsc, 4004);
  assert.deepEqual(await h.store.resources.listChildren(String(node.ri)), []);
});

test('a Create of a <mgmtObj> supersedes the discovered sibling a Registration Update published after the siblings were read', async (t) => {
  const { h, other } = await open();
  t.after(() => h.close());
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  const device = { protocol: 'lwm2m' as const, deviceId: 'urn:imei:2', address: 'coap://127.0.0.1:5690', online: true };
  await h.devices.upsertDevice({ ...device, mgmtObjs: [] });
  adapter.script.create = () => ({ code: '2.01', obis: ['urn:oma:lwm2m:oma:9'], obps: ['/9/0'], attributes: { vr: '1' } });
  // the device's Registration Update announcing /9/0 is published (through the real tree) between read and commit
  other.before(() => h.devices.upsertDevice({ ...device, mgmtObjs: [{ type: 'software', rn: 'software-0', obis: ['urn:oma:lwm2m:oma:9'], obps: ['/9/0'] }] }));
  const created = await h.request({ op: Operation.Create, to: 'proxy/imei:2', ty: 13, pc: { 'm2m:swr': { rn: 'my-app', mgd: 1002, vr: '1', swn: 'app', url: 'http://repo/app' } } });
  assert.equal(created.rsc, 2001);
  const node = (await h.store.resources.getResourceByPath('proxy/imei:2'))!;
  assert.deepEqual((await h.store.resources.listChildren(node.ri)).map((c) => c.rn), ['my-app']);
});

test('device values stored after a read keep what another writer changed meanwhile', async (t) => {
  const { h, other } = await open();
  t.after(() => h.close());
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  await h.devices.upsertDevice({
    protocol: 'lwm2m', deviceId: 'urn:imei:3', address: 'coap://127.0.0.1:5690', online: true,
    mgmtObjs: [{ type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'] }],
  });
  other.before(async (store) => {
    const firmware = (await store.getResourceByPath('proxy/imei:3/firmware'))!;
    await store.putResource({ ...firmware, attrs: { ...firmware.attrs, lbl: ['from-another-writer'] } });
  });
  await h.devices.cacheReportedAttributes('lwm2m', 'urn:imei:3', { type: 'firmware', obps: ['/5/0'] }, { vr: '2.0' });
  const stored = (await h.store.resources.getResourceByPath('proxy/imei:3/firmware'))!;
  assert.equal(stored.attrs.vr, '2.0');
  assert.deepEqual(stored.attrs.lbl, ['from-another-writer']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import { body, openHarness, type TreeHarness } from './tree-harness.js';
import { ScriptedDeviceAdapter } from './scripted-device-adapter.js';
import { eventually } from '../lwm2m/helpers.js';

const FIRMWARE = { 'm2m:fwr': { rn: 'my-fw', mgd: 1001, vr: '2.0', fwn: 'fw-2', url: 'coap://files/fw-2.bin', ud: false } };
const DEVICE = { protocol: 'lwm2m' as const, deviceId: 'urn:dev:7', address: 'coap://127.0.0.1:5690', online: true };
const FIRMWARE_OBJECT = { type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'] };

async function stagedFirmware(): Promise<{ h: TreeHarness; adapter: ScriptedDeviceAdapter }> {
  const h = await openHarness();
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  const node = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn: 'my-meter', ni: 'urn:dev:7' } } });
  assert.equal(node.rsc, 2001);
  assert.deepEqual(body(node).lbl, ['offline']);
  const created = await h.request({ op: Operation.Create, to: 'proxy/my-meter', ty: 13, pc: FIRMWARE });
  assert.equal(created.rsc, 2001, JSON.stringify(created.pc));
  return { h, adapter };
}

async function stored(h: TreeHarness, path: string): Promise<StoredResource> {
  return h.tree.resolve(path);
}

test('values written to a node no device has bound are desired values: stored, labelled staged, never sent; executions answer 6003', async (t) => {
  const { h, adapter } = await stagedFirmware();
  t.after(() => h.close());
  const read = body(await h.request({ op: Operation.Retrieve, to: 'proxy/my-meter/my-fw' }));
  assert.deepEqual(read.lbl, ['staged']);
  assert.equal(read.url, 'coap://files/fw-2.bin');
  assert.equal(read.ud, false, 'an executable attribute reads false');
  assert.deepEqual(read.uds, { acn: '', sus: 0 });

  const updated = await h.request({ op: Operation.Update, to: 'proxy/my-meter/my-fw', pc: { 'm2m:fwr': { url: 'coap://files/fw-3.bin' } } });
  assert.equal(updated.rsc, 2004);
  assert.equal(body(updated).url, 'coap://files/fw-3.bin');

  for (const rt of [undefined, { rtv: 1 }, { rtv: 2, nu: ['http://127.0.0.1:9/nowhere'] }]) {
    const executed = await h.request({ op: Operation.Update, to: 'proxy/my-meter/my-fw', pc: { 'm2m:fwr': { ud: true } }, rt });
    assert.equal(executed.rsc, 6003, `rt ${JSON.stringify(rt)}: ${JSON.stringify(executed.pc)}`);
    assert.match(String(executed.pc?.['m2m:dbg']), /ud cannot be executed: no device has bound to its node yet/);
  }
  const reboot = await h.request({ op: Operation.Create, to: 'proxy/my-meter', ty: 13, rt: { rtv: 1 }, pc: { 'm2m:rbo': { rn: 'r', mgd: 1009, rbo: true } } });
  assert.equal(reboot.rsc, 6003);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/my-meter/r' })).rsc, 4004);

  const node = await h.request({ op: Operation.Retrieve, to: 'proxy/my-meter', rcn: 4 });
  assert.equal(node.rsc, 2000);
  assert.deepEqual(body(node).lbl, ['offline']);
  assert.equal((await h.request({ op: Operation.Delete, to: 'proxy/my-meter/my-fw' })).rsc, 2002);
  assert.deepEqual(adapter.calls, [], 'nothing reached a device');
});

test('a device binds to the node holding its ni, whatever its name; its staged values are written, refusals labelled, and the staged label goes', async (t) => {
  const { h, adapter } = await stagedFirmware();
  t.after(() => h.close());
  adapter.deviceValues['my-fw'] = { vr: '1.0', fwn: 'fw-2', url: '' };
  adapter.script.update = (call) => (call.changes?.vr !== undefined
    ? { code: '4.05', detail: '(vr is read-only on the device)' }
    : { code: '2.04', attributes: call.changes });

  await h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [FIRMWARE_OBJECT] });
  const node = await stored(h, 'proxy/my-meter');
  assert.deepEqual(node.attrs.lbl, ['lwm2m', 'online']);
  assert.deepEqual(await h.store.resources.findNodesByNodeId('urn:dev:7'), [node], 'no second node under the derived name');
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/dev:7' })).rsc, 4004);

  const settled = await eventually(async () => {
    const fw = await stored(h, 'proxy/my-meter/my-fw');
    return fw.internal.desired === undefined ? fw : undefined;
  }, 10_000, 'the staged values to settle');
  assert.deepEqual(settled.attrs.obps, ['/5/0'], 'the staged mgmtObj stands for the device\'s firmware object');
  assert.deepEqual(settled.attrs.lbl, ['staged-refused:vr']);
  assert.equal(settled.attrs.url, 'coap://files/fw-2.bin');
  assert.deepEqual((await h.tree.children(node)).map((c) => c.rn), ['my-fw'], 'no contract-named twin');

  const calls = adapter.calls.map((c) => `${c.method} ${JSON.stringify(c.changes ?? null)}`);
  assert.deepEqual(calls, ['retrieve null', 'update {"vr":"2.0"}', 'update {"url":"coap://files/fw-2.bin"}'], 'equal fwn is not written');
  assert.equal(adapter.calls[0].ctx.originator, '/id-proxy');
  const metrics = await h.metrics.getSingleMetricAsString('onem2m_staged_values_total');
  assert.match(metrics, /outcome="applied"} 2/);
  assert.match(metrics, /outcome="refused"} 1/);
});

test('a value the device could not be reached for stays staged for its next registration', async (t) => {
  const { h, adapter } = await stagedFirmware();
  t.after(() => h.close());
  adapter.script.retrieve = () => ({ code: 'not-registered' });
  adapter.script.update = () => ({ code: 'not-registered' });
  await h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [FIRMWARE_OBJECT] });
  await eventually(async () => (adapter.calls.length >= 4 ? true : undefined), 10_000, 'three writes after the read');
  const fw = await eventually(async () => {
    const current = await stored(h, 'proxy/my-meter/my-fw');
    return current.attrs.obps ? current : undefined;
  });
  assert.deepEqual(fw.internal.desired, { vr: '2.0', fwn: 'fw-2', url: 'coap://files/fw-2.bin' });
  assert.deepEqual(fw.attrs.lbl, ['staged']);

  delete adapter.script.retrieve;
  delete adapter.script.update;
  adapter.deviceValues['my-fw'] = { vr: '2.0', fwn: 'fw-2', url: '' };
  await h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [FIRMWARE_OBJECT] });
  const settled = await eventually(async () => {
    const current = await stored(h, 'proxy/my-meter/my-fw');
    return current.internal.desired === undefined ? current : undefined;
  }, 10_000, 'the next registration to apply them');
  assert.equal(settled.attrs.lbl, undefined);
});

test('a specialization the device maps no object to is held by the proxy: stored, served and kept across registrations', async (t) => {
  const { h, adapter } = await stagedFirmware();
  t.after(() => h.close());
  adapter.unserved.add('reboot');
  assert.equal((await h.request({ op: Operation.Create, to: 'proxy/my-meter', ty: 13, pc: { 'm2m:rbo': { rn: 'boot', mgd: 1009 } } })).rsc, 2001);
  await h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [FIRMWARE_OBJECT] });
  const boot = await eventually(async () => {
    const current = await stored(h, 'proxy/my-meter/boot');
    return current.internal.held === true ? current : undefined;
  });
  assert.equal(boot.attrs.lbl, undefined);
  await h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [FIRMWARE_OBJECT] });
  const read = await h.request({ op: Operation.Retrieve, to: 'proxy/my-meter/boot' });
  assert.equal(read.rsc, 2000);
  const executed = await h.request({ op: Operation.Update, to: 'proxy/my-meter/boot', pc: { 'm2m:rbo': { rbo: true } } });
  assert.equal(executed.rsc, 6003);
  assert.match(String(executed.pc?.['m2m:dbg']), /no device object is mapped to reboot/);
  assert.equal(adapter.calls.some((c) => c.obj.rn === 'boot'), false);
});

test('two nodes never share an ni (4105), on Create or Update', async (t) => {
  const { h } = await stagedFirmware();
  t.after(() => h.close());
  const twin = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn: 'twin', ni: 'urn:dev:7' } } });
  assert.equal(twin.rsc, 4105);
  assert.match(String(twin.pc?.['m2m:dbg']), /my-meter/);
  assert.equal((await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn: 'other', ni: 'urn:dev:8' } } })).rsc, 2001);
  assert.equal((await h.request({ op: Operation.Update, to: 'proxy/other', pc: { 'm2m:nod': { ni: 'urn:dev:7' } } })).rsc, 4105);
  assert.equal((await h.request({ op: Operation.Update, to: 'proxy/my-meter', pc: { 'm2m:nod': { ni: 'urn:dev:7' } } })).rsc, 2004, 'its own ni again is no conflict');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { body, createNode, openHarness, type TreeHarness } from './tree-harness.js';
import { attachScriptedDevice, type ScriptedDeviceAdapter } from './scripted-device-adapter.js';

type Attrs = Record<string, unknown>;

async function withDevice(): Promise<{ h: TreeHarness; adapter: ScriptedDeviceAdapter; node: Attrs }> {
  const h = await openHarness();
  const adapter = await attachScriptedDevice(h, ['battery', 'firmware', 'reboot']);
  const node = body(await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711' }));
  return { h, adapter, node };
}

const SOFTWARE = { 'm2m:swr': { rn: 'software-0', mgd: 1002, vr: '1.0', swn: 'app', url: 'http://repo/app' } };

test('Create of a <mgmtObj> goes to the adapter with device, object and call context, and stores what the device confirmed', async (t) => {
  const { h, adapter, node } = await withDevice();
  t.after(() => h.close());
  adapter.script.create = () => ({ code: '2.01', obis: ['urn:oma:lwm2m:oma:9'], obps: ['/9/0'], attributes: { vr: '1.0.1', ri: 'forged' } });
  const controller = new AbortController();
  const deadline = Date.now() + 4000;
  const response = await h.request({ op: Operation.Create, to: 'proxy/imei:4711', ty: 13, pc: SOFTWARE, rqi: 'req-77', fr: 'CAdmin', deadline, signal: controller.signal });
  assert.equal(response.rsc, 2001);
  assert.equal(response.contentLocation, 'proxy/imei:4711/software-0');

  assert.equal(adapter.calls.length, 1);
  const call = adapter.calls[0];
  assert.equal(call.method, 'create');
  assert.deepEqual(call.device, { protocol: 'lwm2m', deviceId: 'urn:imei:4711', nodeRi: node.ri });
  assert.equal(call.obj.type, 'software');
  assert.equal(call.obj.rn, 'software-0');
  assert.equal(call.obj.attrs.swn, 'app');
  const { requestId, originator, deadline: callDeadline, signal } = call.ctx;
  assert.deepEqual({ requestId, originator, deadline: callDeadline }, { requestId: 'req-77', originator: 'CAdmin', deadline });
  assert.ok(signal instanceof AbortSignal && !signal.aborted, "the call gets its operation's signal, not aborted while the request runs");

  const created = body(response);
  assert.equal(created.ri, call.obj.ri, 'the adapter learns the ri the resource gets');
  assert.deepEqual(created.obis, ['urn:oma:lwm2m:oma:9']);
  assert.deepEqual(created.obps, ['/9/0']);
  assert.equal(created.vr, '1.0.1');
  assert.notEqual(created.ri, 'forged', 'a device never sets universal attributes');

  adapter.script.retrieve = () => ({ code: '2.05', attributes: {} });
  assert.deepEqual(body(await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/software-0' })), created);
});

test('a failing or unfinished device Create answers the outcome and stores nothing', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.script.create = () => ({ code: '4.04', detail: '(object 9 not found on the device)' });
  const failed = await h.request({ op: Operation.Create, to: 'proxy/imei:4711', ty: 13, pc: SOFTWARE });
  assert.deepEqual(failed.pc, { 'm2m:dbg': 'error - not found (object 9 not found on the device)' });
  assert.equal(failed.rsc, 6005);

  adapter.script.create = () => ({ code: '4.00' });
  const noDetail = await h.request({ op: Operation.Create, to: 'proxy/imei:4711', ty: 13, pc: SOFTWARE });
  assert.equal(noDetail.rsc, 5106);
  assert.equal(noDetail.pc?.['m2m:dbg'], 'error - already exists (lwm2m create → 4.00)');

  // the LwM2M table has no row that is not final; OMA DM's execute 202 (accepted) is one
  adapter.script.create = () => ({ technology: 'omadm13', operation: 'execute', code: '202' });
  const accepted = await h.request({ op: Operation.Create, to: 'proxy/imei:4711', ty: 13, pc: SOFTWARE });
  assert.equal(accepted.rsc, 1000);
  assert.equal(accepted.contentLocation, undefined);

  const children = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711', rcn: 6 });
  assert.deepEqual((children.pc!['m2m:rrl'] as { rrf: Attrs[] }).rrf.map((r) => r.nm), ['battery', 'firmware', 'reboot']);
});

test('Update of a <mgmtObj>: the device gets the changes; stored are the values it confirmed or reported, never the action flags', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.script.update = () => ({ code: '2.04', attributes: { url: 'coap://fw/2.0', uds: { acn: 'ud', sus: 3 } } });
  const response = await h.request({ op: Operation.Update, to: 'proxy/imei:4711/firmware', pc: { 'm2m:fwr': { url: 'coap://fw/2.0', ud: true, lbl: ['x'] } } });
  assert.equal(response.rsc, 2004);
  assert.deepEqual(adapter.calls[0].changes, { url: 'coap://fw/2.0', ud: true, lbl: ['x'] });
  assert.equal(adapter.calls[0].obj.type, 'firmware');
  assert.deepEqual(adapter.calls[0].obj.obps, ['/5/0']);
  const stored = (await h.tree.resolve('proxy/imei:4711/firmware')).attrs;
  assert.equal(stored.url, 'coap://fw/2.0');
  assert.deepEqual(stored.lbl, ['x']);
  assert.deepEqual(stored.uds, { acn: 'ud', sus: 3 });
  assert.equal('ud' in stored, false);
  assert.deepEqual(body(response), { ...stored, ud: false }, 'the answer shows the executable attribute read false');

  adapter.script.update = () => ({ code: '4.05', detail: '(write not allowed)' });
  const refused = await h.request({ op: Operation.Update, to: 'proxy/imei:4711/firmware', pc: { 'm2m:fwr': { url: 'coap://other' } } });
  assert.equal(refused.rsc, 4005);
  assert.equal(refused.pc?.['m2m:dbg'], 'error - not allowed (write not allowed)');
  assert.deepEqual((await h.tree.resolve('proxy/imei:4711/firmware')).attrs, stored, 'a refused update changes nothing');

  adapter.script.update = () => ({ technology: 'omadm13', operation: 'execute', code: '202', detail: '(queued until the device wakes up)' });
  const queued = await h.request({ op: Operation.Update, to: 'proxy/imei:4711/reboot', pc: { 'm2m:rbo': { rbo: true } } });
  assert.deepEqual(queued, { rsc: 1000, rqi: queued.rqi, pc: { 'm2m:dbg': 'accepted (queued until the device wakes up)' } });
});

test('Retrieve of a <mgmtObj> reads live values (atrl passed through) and caches them; a failed read answers the outcome', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 87, bts: 1, unknownToOneM2M: 5 };
  const read = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/battery' });
  assert.equal(read.rsc, 2000);
  assert.equal(body(read).btl, 87);
  assert.equal(body(read).bts, 1);
  assert.equal('unknownToOneM2M' in body(read), false);
  assert.equal(adapter.calls[0].attributes, undefined);
  assert.equal((await h.tree.resolve('proxy/imei:4711/battery')).attrs.btl, 87, 'live values are cached');

  adapter.deviceValues.battery = { btl: 40 };
  const partial = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/battery', atrl: ['btl'] });
  assert.deepEqual(partial.pc, { 'm2m:bat': { btl: 40 } });
  assert.deepEqual(adapter.calls[1].attributes, ['btl']);

  adapter.script.retrieve = () => ({ code: 'not-registered', detail: '(device not registered)' });
  const failed = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/battery' });
  assert.deepEqual(failed.pc, { 'm2m:dbg': 'error - not reachable (device not registered)' });
  assert.equal(failed.rsc, 6003);

  const refsOnly = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/battery', rcn: 6 });
  assert.equal(refsOnly.rsc, 2000, 'child references need no device');
  assert.equal(adapter.calls.length, 3);
});

test('Retrieve of a device <node> with rcn=4 reads its mgmtObjs in one adapter call; a child the device cannot answer for decides the answer', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 55, bts: 2 };
  const read = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711', rcn: 4 });
  assert.equal(read.rsc, 2000);
  assert.equal((body(read)['m2m:bat'] as Attrs[])[0].btl, 55);
  assert.equal(adapter.calls.length, 3, 'each mgmtObj is part of the call');
  assert.equal((await h.tree.resolve('proxy/imei:4711/battery')).attrs.btl, 55, 'live values are cached');

  adapter.script.retrieve = (call) => (call.obj.rn === 'firmware' ? { code: '4.04', detail: '(gone)' } : { code: '2.05', attributes: {} });
  const failed = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711', rcn: 4 });
  assert.equal(failed.rsc, 6005, 'no 2000 with stored values the device did not give');
  assert.equal(failed.pc?.['m2m:dbg'], 'error - not found (gone)');

  adapter.script.retrieve = (call) => (call.obj.rn === 'reboot' ? new Promise(() => {}) : { code: '2.05', attributes: {} });
  const started = Date.now();
  const unanswered = await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711', rcn: 4, deadline: Date.now() + 300 });
  assert.equal(unanswered.rsc, 6030);
  assert.ok(Date.now() - started < 2000, 'answered at the deadline, not later');
});

test('a device that never answers costs one timer: the request ends at its deadline with 6030', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.script.update = () => new Promise(() => {});
  const started = Date.now();
  const response = await h.request({ op: Operation.Update, to: 'proxy/imei:4711/reboot', pc: { 'm2m:rbo': { rbo: true } }, deadline: Date.now() + 150 });
  assert.equal(response.rsc, 6030);
  assert.match(String(response.pc?.['m2m:dbg']), /did not answer/);
  assert.ok(Date.now() - started < 2000);
});

test('Delete of a <mgmtObj> removes it only after the device confirmed', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.script.delete = () => ({ code: '4.05', detail: '(object cannot be deleted)' });
  const refused = await h.request({ op: Operation.Delete, to: 'proxy/imei:4711/firmware' });
  assert.equal(refused.rsc, 4005);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/firmware', rcn: 6 })).rsc, 2000);

  delete adapter.script.delete;
  const deleted = await h.request({ op: Operation.Delete, to: 'proxy/imei:4711/firmware', rcn: 1 });
  assert.equal(deleted.rsc, 2002);
  assert.equal(body(deleted).rn, 'firmware');
  assert.equal(adapter.calls.filter((c) => c.method === 'delete').length, 2);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/firmware' })).rsc, 4004);
});

test('an execution on a node no device has bound yet, or with no adapter for its protocol: 6003 with m2m:dbg and nothing changes', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await createNode(h, 'plain');
  const plain = await h.request({ op: Operation.Create, to: 'proxy/plain', ty: 13, pc: { 'm2m:rbo': { rn: 'reboot', mgd: 1009, rbo: true } } });
  assert.equal(plain.rsc, 6003);
  assert.match(String(plain.pc?.['m2m:dbg']), /rbo cannot be executed: no device has bound to its node yet/);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/plain/reboot' })).rsc, 4004);

  await h.devices.upsertDevice({ protocol: 'omadm13', deviceId: 'IMEI:1', address: 'http://127.0.0.1:1', online: true, mgmtObjs: [{ type: 'reboot', rn: 'reboot', obis: [], obps: [] }] });
  const before = (await h.tree.resolve('proxy/IMEI:1/reboot')).attrs;
  const cases = [
    { op: Operation.Retrieve, to: 'proxy/IMEI:1/reboot' },
    { op: Operation.Update, to: 'proxy/IMEI:1/reboot', pc: { 'm2m:rbo': { rbo: true } } },
    { op: Operation.Delete, to: 'proxy/IMEI:1/reboot' },
    { op: Operation.Create, to: 'proxy/IMEI:1', ty: 13, pc: { 'm2m:rbo': { rn: 'reboot2', mgd: 1009 } } },
  ];
  for (const input of cases) {
    const response = await h.request(input);
    assert.equal(response.rsc, 6003, Operation[input.op]);
    assert.match(String(response.pc?.['m2m:dbg']), /no omadm13 adapter/);
  }
  assert.deepEqual((await h.tree.resolve('proxy/IMEI:1/reboot')).attrs, before);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/IMEI:1/reboot2', rcn: 6 })).rsc, 4004);
  const node = await h.request({ op: Operation.Retrieve, to: 'proxy/IMEI:1', rcn: 4 });
  assert.equal(node.rsc, 2000, 'a node itself is local: its stored children are shown');
});

test('an adapter that throws yields 5000 with m2m:dbg and changes nothing', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.script.update = () => {
    throw new Error('socket exploded');
  };
  const response = await h.request({ op: Operation.Update, to: 'proxy/imei:4711/firmware', pc: { 'm2m:fwr': { url: 'u' } } });
  assert.equal(response.rsc, 5000);
  assert.match(String(response.pc?.['m2m:dbg']), /socket exploded/);
  assert.equal('url' in (await h.tree.resolve('proxy/imei:4711/firmware')).attrs, false);
});

test('a resource deleted while its device was working is not brought back', async (t) => {
  const { h, adapter } = await withDevice();
  t.after(() => h.close());
  adapter.script.update = async () => {
    await h.tree.delete(await h.tree.resolve('proxy/imei:4711/firmware'));
    return { code: '2.04' };
  };
  const updated = await h.request({ op: Operation.Update, to: 'proxy/imei:4711/firmware', pc: { 'm2m:fwr': { url: 'u' } } });
  assert.equal(updated.rsc, 4004);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/firmware', rcn: 6 })).rsc, 4004);

  adapter.script.retrieve = async () => {
    await h.tree.delete(await h.tree.resolve('proxy/imei:4711/battery'));
    return { code: '2.05', attributes: { btl: 1 } };
  };
  await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/battery' });
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/imei:4711/battery', rcn: 6 })).rsc, 4004);

  adapter.script.create = async () => {
    await h.tree.delete(await h.tree.resolve('proxy/imei:4711'));
    return { code: '2.01' };
  };
  const created = await h.request({ op: Operation.Create, to: 'proxy/imei:4711', ty: 13, pc: SOFTWARE });
  assert.equal(created.rsc, 4004);
  assert.deepEqual(await h.store.resources.listChildren(h.tree.cseBase.ri), []);
  assert.equal(await h.store.resources.getResourceByPath('proxy/imei:4711/software-0'), undefined);
});

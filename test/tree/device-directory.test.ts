import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import type { DiscoveredDevice } from '../../src/core/device-directory.js';
import { nodeNameForDevice } from '../../src/onem2m/resources/device-node-naming.js';
import { body, createNode, openHarness, type TreeHarness } from './tree-harness.js';
import { ScriptedDeviceAdapter } from './scripted-device-adapter.js';

type Attrs = Record<string, unknown>;

const DEVICE: DiscoveredDevice = {
  protocol: 'lwm2m',
  deviceId: 'urn:dev:ops:Acme Sensor#7',
  address: 'coap://127.0.0.1:56830',
  online: true,
  mgmtObjs: [
    { type: 'deviceInfo', rn: 'deviceInfo', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
    { type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'] },
    { type: 'software', rn: 'software-0', obis: ['urn:oma:lwm2m:oma:9'], obps: ['/9/0'] },
    { type: 'deviceCapability', rn: 'deviceCapability-2', obis: ['urn:oma:lwm2m:oma:15'], obps: ['/15/2'] },
  ],
};

test('node names follow the DESIGN contract', () => {
  assert.equal(nodeNameForDevice('urn:imei:490154203237518'), 'imei:490154203237518');
  assert.equal(nodeNameForDevice('URN:uuid:a-b'), 'uuid:a-b');
  assert.equal(nodeNameForDevice('urn:dev:ops:Acme Sensor#7'), 'dev:ops:Acme_Sensor_7');
  assert.equal(nodeNameForDevice('plain.name~x_y-z'), 'plain.name~x_y-z');
  assert.equal(nodeNameForDevice('a/b?c'), 'a_b_c');
  assert.equal(nodeNameForDevice('..'), '__');
  assert.equal(nodeNameForDevice('urn:'), '_');
});

test('upsertDevice creates the node and one mgmtObj per discovered object, with no invented device values', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(DEVICE);
  const response = await h.request({ op: Operation.Retrieve, to: 'proxy/dev:ops:Acme_Sensor_7', rcn: 4 });
  assert.equal(response.rsc, 2000);
  const node = body(response);
  assert.equal(node.ni, 'urn:dev:ops:Acme Sensor#7');
  assert.equal(node.mgca, 'coap://127.0.0.1:56830');
  assert.deepEqual(node.lbl, ['lwm2m', 'online']);
  const stored = await h.tree.resolve('proxy/dev:ops:Acme_Sensor_7');
  assert.deepEqual(stored.internal, { protocol: 'lwm2m', deviceId: 'urn:dev:ops:Acme Sensor#7' });

  const dvi = (node['m2m:dvi'] as Attrs[])[0];
  assert.equal(dvi.mgd, 1007);
  assert.deepEqual(dvi.obis, ['urn:oma:lwm2m:oma:3']);
  assert.deepEqual(dvi.obps, ['/3/0']);
  assert.equal(dvi.pi, node.ri);
  for (const absent of ['man', 'mod', 'dlb', 'dty']) assert.equal(absent in dvi, false, `${absent} stays absent until read`);

  const fwr = (node['m2m:fwr'] as Attrs[])[0];
  assert.deepEqual(fwr.uds, { acn: '', sus: 0 });
  for (const absent of ['vr', 'fwn', 'url']) assert.equal(absent in fwr, false);
  assert.equal(fwr.ud, false, 'an executable attribute reads false');
  const swr = (node['m2m:swr'] as Attrs[])[0];
  assert.equal(swr.rn, 'software-0');
  assert.deepEqual(swr.ins, { acn: '', sus: 0 });
  assert.deepEqual(swr.acts, { acn: '', sus: 0 });
  const dvc = (node['m2m:dvc'] as Attrs[])[0];
  assert.deepEqual(dvc.cas, { acn: '', sus: 0 });
  assert.equal((await h.tree.resolve('proxy/dev:ops:Acme_Sensor_7/software-0')).internal.type, 'software');
});

test('a repeated upsert keeps ri values, refreshes paths, replaces a changed type, removes undiscovered objects and keeps CSE labels', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(DEVICE);
  const path = 'proxy/dev:ops:Acme_Sensor_7';
  const before = body(await h.request({ op: Operation.Retrieve, to: path, rcn: 4 }));
  await h.request({ op: Operation.Update, to: path, pc: { 'm2m:nod': { lbl: ['lwm2m', 'online', 'site-a'] } } });

  await h.devices.upsertDevice({
    ...DEVICE,
    address: 'coap://127.0.0.1:60000',
    online: false,
    mgmtObjs: [
      { type: 'deviceInfo', rn: 'deviceInfo', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
      { type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5:1.1'], obps: ['/5/0'] },
      { type: 'eventLog', rn: 'software-0', obis: ['urn:oma:lwm2m:oma:20'], obps: ['/20/0'] },
    ],
  });
  const after = body(await h.request({ op: Operation.Retrieve, to: path, rcn: 4 }));
  assert.equal(after.ri, before.ri);
  assert.equal(after.mgca, 'coap://127.0.0.1:60000');
  assert.deepEqual(after.lbl, ['lwm2m', 'offline', 'site-a']);
  assert.equal((after['m2m:dvi'] as Attrs[])[0].ri, (before['m2m:dvi'] as Attrs[])[0].ri);
  assert.equal((after['m2m:fwr'] as Attrs[])[0].ri, (before['m2m:fwr'] as Attrs[])[0].ri);
  assert.deepEqual((after['m2m:fwr'] as Attrs[])[0].obis, ['urn:oma:lwm2m:oma:5:1.1']);
  assert.equal(after['m2m:swr'], undefined);
  assert.equal(after['m2m:dvc'], undefined, 'undiscovered objects are removed');
  const evl = (after['m2m:evl'] as Attrs[])[0];
  assert.equal(evl.rn, 'software-0');
  assert.equal(evl.mgd, 1010);
});

test('setOnline swaps the status label only; cacheReportedAttributes stores the specialization values only', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(DEVICE);
  const path = 'proxy/dev:ops:Acme_Sensor_7';
  await h.request({ op: Operation.Update, to: path, pc: { 'm2m:nod': { lbl: ['site-a', 'lwm2m', 'online'] } } });
  await h.devices.setOnline('lwm2m', DEVICE.deviceId, false);
  assert.deepEqual((await h.tree.resolve(path)).attrs.lbl, ['lwm2m', 'offline', 'site-a']);
  await h.devices.setOnline('lwm2m', DEVICE.deviceId, true);
  assert.deepEqual((await h.tree.resolve(path)).attrs.lbl, ['lwm2m', 'online', 'site-a']);
  assert.equal((await h.tree.children(await h.tree.resolve(path))).length, 4, 'children are kept');

  await h.devices.cacheReportedAttributes('lwm2m', DEVICE.deviceId, { type: 'deviceInfo', obps: ['/3/0'] }, { man: 'Acme', mod: 'S7', ri: 'forged', mgd: 1, colour: 'red' });
  const dvi = (await h.tree.resolve(`${path}/deviceInfo`)).attrs;
  assert.equal(dvi.man, 'Acme');
  assert.equal(dvi.mod, 'S7');
  assert.notEqual(dvi.ri, 'forged');
  assert.equal(dvi.mgd, 1007);
  assert.equal('colour' in dvi, false);

  await h.devices.cacheReportedAttributes('lwm2m', DEVICE.deviceId, { type: 'deviceInfo', obps: ['/99/0'] }, { man: 'x' });
  await h.devices.setOnline('lwm2m', 'unknown-device', true);
  await h.devices.cacheReportedAttributes('lwm2m', 'unknown-device', { type: 'deviceInfo', obps: ['/3/0'] }, { man: 'x' });
});

test('a node name held by another device, or by a CSE node for another ni, is refused; a CSE node with the same ni is adopted', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice({ ...DEVICE, deviceId: 'urn:a b', mgmtObjs: [] });
  await assert.rejects(h.devices.upsertDevice({ ...DEVICE, deviceId: 'urn:a_b', mgmtObjs: [] }), /already belongs to another device/);
  await assert.rejects(h.devices.upsertDevice({ ...DEVICE, protocol: 'omadm13', deviceId: 'urn:a b', mgmtObjs: [] }), /already belongs/);
  await assert.rejects(h.devices.setOnline('lwm2m', 'urn:a_b', true), /already belongs/);

  await createNode(h, 'sensor-9', { ni: 'something-else' });
  await assert.rejects(h.devices.upsertDevice({ ...DEVICE, deviceId: 'sensor-9', mgmtObjs: [] }), /already belongs/);

  const provisioned = await createNode(h, 'sensor-10', { ni: 'sensor-10', lbl: ['site-b'] });
  await h.devices.upsertDevice({ ...DEVICE, deviceId: 'sensor-10', mgmtObjs: [{ type: 'reboot', rn: 'reboot', obis: [], obps: [] }] });
  const adopted = await h.tree.resolve('proxy/sensor-10');
  assert.equal(adopted.ri, provisioned.ri);
  assert.deepEqual(adopted.internal, { protocol: 'lwm2m', deviceId: 'sensor-10' });
  assert.deepEqual(adopted.attrs.lbl, ['lwm2m', 'online', 'site-b']);
});

test('an upsert that cannot be stored completely stores nothing', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const twice = { type: 'reboot', rn: 'reboot', obis: [], obps: [] };
  await assert.rejects(h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [twice, { ...twice, type: 'battery' }] }));
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/dev:ops:Acme_Sensor_7' })).rsc, 4004);
  await assert.rejects(h.devices.upsertDevice({ ...DEVICE, mgmtObjs: [{ ...twice, type: 'teleporter' }] }), /unknown mgmtObj type "teleporter"/);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/dev:ops:Acme_Sensor_7' })).rsc, 4004);
});

const SOFTWARE_DEVICE: DiscoveredDevice = {
  protocol: 'lwm2m',
  deviceId: 'urn:imei:4711',
  address: 'coap://127.0.0.1:5690',
  online: true,
  mgmtObjs: [
    { type: 'deviceInfo', rn: 'deviceInfo', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
    { type: 'software', rn: 'software-0', obis: ['urn:oma:lwm2m:oma:9'], obps: ['/9/0'] },
  ],
};
const SOFTWARE_NODE = 'proxy/imei:4711';

function software(instanceId: number, rn = `software-${instanceId}`) {
  return { type: 'software', rn, obis: ['urn:oma:lwm2m:oma:9'], obps: [`/9/${instanceId}`] };
}

/** A CSE creates a software mgmtObj named `rn`; the (scripted) device answers with the instance it created. */
async function cseCreatesSoftware(h: TreeHarness, rn: string, instanceId: number): Promise<Attrs> {
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  adapter.script.create = () => ({ code: '2.01', obis: ['urn:oma:lwm2m:oma:9'], obps: [`/9/${instanceId}`] });
  const response = await h.request({
    op: Operation.Create, to: SOFTWARE_NODE, ty: 13,
    pc: { 'm2m:swr': { rn, mgd: 1002, vr: '2.0', swn: 'my-app', url: 'http://repo/my-app', lbl: ['cse'] } },
  });
  assert.equal(response.rsc, 2001, JSON.stringify(response.pc));
  return body(response);
}

async function softwareChildren(h: TreeHarness): Promise<Attrs[]> {
  const node = body(await h.request({ op: Operation.Retrieve, to: SOFTWARE_NODE, rcn: 4 }));
  return (node['m2m:swr'] as Attrs[] | undefined) ?? [];
}

test('a CSE-named mgmtObj bound to a discovered instance keeps its name, ri and attributes; no contract-named duplicate', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  const created = await cseCreatesSoftware(h, 'my-app', 2);
  assert.deepEqual(created.obps, ['/9/2']);

  const withInstance = { ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(2)] };
  await h.devices.upsertDevice(withInstance);
  await h.devices.upsertDevice(withInstance);
  const children = await softwareChildren(h);
  assert.deepEqual(children.map((c) => c.rn).sort(), ['my-app', 'software-0']);
  const kept = children.find((c) => c.rn === 'my-app')!;
  assert.equal(kept.ri, created.ri);
  assert.equal(kept.ct, created.ct);
  for (const key of ['vr', 'swn', 'url', 'lbl', 'obis', 'obps']) assert.deepEqual(kept[key], created[key], key);
  assert.equal((await h.request({ op: Operation.Retrieve, to: `${SOFTWARE_NODE}/software-2` })).rsc, 4004);

  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  assert.deepEqual((await softwareChildren(h)).map((c) => c.rn), ['software-0'], 'a child whose instance is gone is removed');
  assert.equal(await h.tree.get(String(created.ri)), undefined);
});

test('objectPaths, not names, decide which child stands for an instance; a singleton whose instance is gone is replaced', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const firmware = (instanceId: number, obps = `/5/${instanceId}`) => ({ type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: [obps] });
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [firmware(0)] });
  const before = await h.tree.resolve(`${SOFTWARE_NODE}/firmware`);
  // the device's firmware object is now /5/1, /5/0 is gone: same contract name, another instance.
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [firmware(1)] });
  const after = await h.tree.resolve(`${SOFTWARE_NODE}/firmware`);
  assert.notEqual(after.ri, before.ri, 'a name whose instance is gone is not moved to another instance');
  assert.deepEqual(after.attrs.obps, ['/5/1']);
  assert.equal(await h.tree.get(before.ri), undefined);

  // paths compare without repeated or trailing slashes.
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [firmware(1, '//5/1/')] });
  assert.equal((await h.tree.resolve(`${SOFTWARE_NODE}/firmware`)).ri, after.ri);
});

test('a contract name held by a child bound to another live instance stays with it; the new instance is named by its ri', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  // the CSE names its resource `software-2`, the device puts it in /9/1.
  const created = await cseCreatesSoftware(h, 'software-2', 1);
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(1)] });
  assert.deepEqual((await softwareChildren(h)).map((c) => c.rn).sort(), ['software-0', 'software-2']);

  // later the device shows /9/2 too, whose contract name is the CSE's.
  const three = { ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(1), software(2)] };
  await h.devices.upsertDevice(three);
  const children = await softwareChildren(h);
  assert.equal(children.length, 3);
  const cse = children.find((c) => c.rn === 'software-2')!;
  assert.equal(cse.ri, created.ri);
  assert.deepEqual(cse.obps, ['/9/1']);
  const added = children.find((c) => c.rn !== 'software-2' && c.rn !== 'software-0')!;
  assert.equal(added.rn, added.ri);
  assert.deepEqual(added.obps, ['/9/2']);
  assert.deepEqual(added.ins, { acn: '', sus: 0 });

  await h.devices.upsertDevice(three);
  assert.deepEqual((await softwareChildren(h)).map((c) => [c.rn, c.ri]), children.map((c) => [c.rn, c.ri]), 'stable from then on');

  // when the CSE's instance goes, its resource goes and the contract name is free again.
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(2)] });
  const last = await softwareChildren(h);
  assert.deepEqual(last.map((c) => c.rn).sort(), ['software-0', String(added.rn)]);
});

test('an upsert that fails to commit leaves a CSE-named mgmtObj and everything else as it was', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  const created = await cseCreatesSoftware(h, 'my-app', 2);
  const twice = { type: 'reboot', rn: 'reboot', obis: [], obps: [] };
  await assert.rejects(h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [twice, { ...twice, type: 'battery' }] }));
  const children = await softwareChildren(h);
  assert.deepEqual(children.map((c) => c.rn).sort(), ['my-app', 'software-0']);
  assert.equal(children.find((c) => c.rn === 'my-app')!.ri, created.ri);
});

/**
 * A CSE creates a software mgmtObj named `rn`; the (scripted) device creates `/9/<instanceId>` and, before the proxy
 * stores the CSE's resource, `meanwhile` runs (the device's Registration Update listing the new instance, as real
 * LwM2M clients send right after answering the Create). Returns the response.
 */
async function cseCreatesWhile(h: TreeHarness, rn: string, instanceId: number | string, meanwhile: () => Promise<void>) {
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  adapter.script.create = async () => {
    await meanwhile();
    return { code: '2.01', obis: ['urn:oma:lwm2m:oma:9'], obps: [typeof instanceId === 'number' ? `/9/${instanceId}` : instanceId] };
  };
  return h.request({
    op: Operation.Create, to: SOFTWARE_NODE, ty: 13,
    pc: { 'm2m:swr': { rn, mgd: 1002, vr: '2.0', swn: rn, url: `http://repo/${rn}`, lbl: ['cse'] } },
  });
}

test('an Update published while the CSE\'s Create is in flight: the CSE\'s resource replaces the discovered duplicate in its commit', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  const withInstance = { ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(1)] };
  let duplicate: Attrs | undefined;
  const response = await cseCreatesWhile(h, 'my-app', 1, async () => {
    await h.devices.upsertDevice(withInstance);
    duplicate = (await softwareChildren(h)).find((c) => c.rn === 'software-1');
  });
  assert.equal(response.rsc, 2001, JSON.stringify(response.pc));
  assert.ok(duplicate, 'the refresh published /9/1 before the CSE\'s resource was stored (the race this covers)');
  const created = body(response);

  const children = await softwareChildren(h);
  assert.deepEqual(children.map((c) => c.rn).sort(), ['my-app', 'software-0']);
  assert.deepEqual(children.filter((c) => (c.obps as string[]).includes('/9/1')).map((c) => c.rn), ['my-app']);
  assert.equal(await h.tree.get(String(duplicate.ri)), undefined);
  const mine = await h.tree.resolve(`${SOFTWARE_NODE}/my-app`);
  assert.equal(mine.ri, created.ri);
  assert.equal(mine.internal.discovered, undefined, 'a CSE\'s resource is not marked discovered');
  assert.equal((await h.tree.resolve(`${SOFTWARE_NODE}/software-0`)).internal.discovered, true);

  // later Updates keep it that way
  await h.devices.upsertDevice(withInstance);
  await h.devices.upsertDevice(withInstance);
  const later = await softwareChildren(h);
  assert.deepEqual(later.map((c) => [c.rn, c.ri]), children.map((c) => [c.rn, c.ri]));
});

test('an Update published after the CSE\'s resource is stored finds it by obps: no duplicate, no marker added', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  const response = await cseCreatesWhile(h, 'my-app', 1, async () => {});
  assert.equal(response.rsc, 2001, JSON.stringify(response.pc));
  const created = body(response);
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, { ...software(1), obps: ['//9/1/'] }] });
  const children = await softwareChildren(h);
  assert.deepEqual(children.map((c) => c.rn).sort(), ['my-app', 'software-0']);
  const mine = await h.tree.resolve(`${SOFTWARE_NODE}/my-app`);
  assert.equal(mine.ri, created.ri);
  assert.deepEqual(mine.internal, { type: 'software' });
});

test('a CSE\'s create removes only discovered siblings: never a CSE\'s resource, nor one of another specialization or instance', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice({
    ...SOFTWARE_DEVICE,
    mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(1), { type: 'eventLog', rn: 'eventLog-1', obis: ['urn:oma:lwm2m:oma:20'], obps: ['/9/1'] }],
  });
  assert.equal((await cseCreatesWhile(h, 'first-app', 2, async () => {})).rsc, 2001);
  // a second CSE resource bound to the same instance (the CSE named /9/2 itself): the first one stays
  const second = await cseCreatesWhile(h, 'second-app', '/9/2/', async () => {});
  assert.equal(second.rsc, 2001, JSON.stringify(second.pc));
  const children = await softwareChildren(h);
  assert.deepEqual(children.map((c) => c.rn).sort(), ['first-app', 'second-app', 'software-0', 'software-1']);
  assert.equal((await h.tree.resolve(`${SOFTWARE_NODE}/eventLog-1`)).attrs.mgd, 1010, 'another specialization on the same path stays');

  // paths compare as the refresh compares them: `/9/1/` names the discovered `software-1`
  assert.equal((await cseCreatesWhile(h, 'third-app', '/9//1/', async () => {})).rsc, 2001);
  assert.deepEqual((await softwareChildren(h)).map((c) => c.rn).sort(), ['first-app', 'second-app', 'software-0', 'third-app']);
});

test('a discovered child stored before the marker existed (none in internal) is kept, like a CSE\'s', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice({ ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(1)] });
  const legacy = await h.tree.resolve(`${SOFTWARE_NODE}/software-1`);
  await h.store.resources.putResource({ ...legacy, internal: { type: 'software' } });
  assert.equal((await cseCreatesWhile(h, 'my-app', 1, async () => {})).rsc, 2001);
  assert.deepEqual((await softwareChildren(h)).map((c) => c.rn).sort(), ['my-app', 'software-0', 'software-1']);
});

test('a CSE\'s create that cannot be stored removes no discovered sibling either (one transaction)', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice(SOFTWARE_DEVICE);
  const withInstance = { ...SOFTWARE_DEVICE, mgmtObjs: [...SOFTWARE_DEVICE.mgmtObjs, software(1)] };
  const node = await h.tree.resolve(SOFTWARE_NODE);
  const response = await cseCreatesWhile(h, 'my-app', 1, async () => {
    await h.devices.upsertDevice(withInstance);
    // meanwhile another request stored a child under the name this create asked for
    const spec = h.tree.specOf(await h.tree.resolve(`${SOFTWARE_NODE}/software-0`));
    await h.tree.commit([h.tree.newChild(node, spec, { rn: 'my-app', mgd: 1002, obps: ['/9/7'] }, { type: 'software' })]);
  });
  assert.equal(response.rsc, 4105, JSON.stringify(response.pc));
  const children = await softwareChildren(h);
  assert.deepEqual(children.map((c) => c.rn).sort(), ['my-app', 'software-0', 'software-1']);
  assert.deepEqual(children.find((c) => c.rn === 'my-app')!.obps, ['/9/7']);
});

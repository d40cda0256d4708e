import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lwm2m/helpers.js';
import { attachDevice, oneM2M, startProxy } from '../management/managed-devices.js';
import { oneM2MTimestamp, parseOneM2MTimestamp } from '../../src/onem2m/resources/onem2m-time.js';

const CREATE_NODE = { 'Content-Type': 'application/json;ty=14' };
const CREATE_MGMT_OBJ = { 'Content-Type': 'application/json;ty=13' };
const DEVICE_ET = '99991231T235959';
const DAY_S = 86_400;

function inSeconds(seconds: number): string {
  return oneM2MTimestamp(new Date(Date.now() + seconds * 1000));
}

async function discoveredNodes(proxy: Awaited<ReturnType<typeof startProxy>>): Promise<string[]> {
  const answer = await oneM2M(proxy, 'GET', '/proxy?fu=1&ty=14');
  assert.equal(answer.rsc, 2000, answer.dbg);
  return (answer.body as unknown as string[]) ?? [];
}

test('et is served on device nodes and mgmtObjs (far future), and on CSE-created nodes (from the request or DEFAULT_EXPIRATION_S)', async (t) => {
  const proxy = await startProxy({ DEFAULT_EXPIRATION_S: String(DAY_S) });
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());

  const deviceNode = await oneM2M(proxy, 'GET', node);
  assert.equal(deviceNode.rsc, 2000, deviceNode.dbg);
  assert.equal(deviceNode.body.et, DEVICE_ET);
  const battery = await oneM2M(proxy, 'GET', `${node}/battery`);
  assert.equal(battery.rsc, 2000, battery.dbg);
  assert.equal(battery.body.et, DEVICE_ET);
  const xml = await (await proxy.request('GET', node, { headers: { Accept: 'application/xml' } })).text();
  assert.match(xml, new RegExp(`<et>${DEVICE_ET}</et>`));

  const before = Date.now();
  const created = await oneM2M(proxy, 'POST', '/proxy', { 'm2m:nod': { rn: 'cse-node', ni: 'cse-node-ni' } }, CREATE_NODE);
  assert.equal(created.rsc, 2001, created.dbg);
  const defaultEt = parseOneM2MTimestamp(String(created.body.et));
  assert.ok(defaultEt !== undefined, `et ${String(created.body.et)}`);
  assert.ok(defaultEt >= before + DAY_S * 1000 - 1000 && defaultEt <= Date.now() + DAY_S * 1000, 'now + DEFAULT_EXPIRATION_S');
  assert.equal((await oneM2M(proxy, 'GET', '/proxy/cse-node')).body.et, created.body.et, 'stored as answered');

  const requested = inSeconds(2 * DAY_S);
  const withEt = await oneM2M(proxy, 'POST', '/proxy', { 'm2m:nod': { rn: 'cse-node-et', ni: 'other-ni', et: `${requested},5` } }, CREATE_NODE);
  assert.equal(withEt.rsc, 2001, withEt.dbg);
  assert.equal(withEt.body.et, `${requested},5`);

  const mgmtObj = await oneM2M(proxy, 'POST', node, { 'm2m:swr': { rn: 'my-app', mgd: 1002, swn: 'my-app', vr: '1.0', url: 'sim:my-app', et: requested } }, CREATE_MGMT_OBJ);
  assert.equal(mgmtObj.rsc, 2001, mgmtObj.dbg);
  assert.equal(mgmtObj.body.et, requested, 'a mgmtObj Create takes et too');
  assert.equal((await oneM2M(proxy, 'GET', `${node}/my-app`)).body.et, requested);
});

test('et is accepted on Update; an et in the past, not a real date or not a timestamp is refused 4000 with m2m:dbg', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());
  assert.equal((await oneM2M(proxy, 'POST', '/proxy', { 'm2m:nod': { rn: 'n1', ni: 'n1-ni' } }, CREATE_NODE)).rsc, 2001);

  const later = inSeconds(3 * DAY_S);
  const updated = await oneM2M(proxy, 'PUT', '/proxy/n1', { 'm2m:nod': { et: later } });
  assert.equal(updated.rsc, 2004, updated.dbg);
  assert.equal(updated.body.et, later);
  assert.equal((await oneM2M(proxy, 'GET', '/proxy/n1')).body.et, later);

  const onDeviceNode = await oneM2M(proxy, 'PUT', node, { 'm2m:nod': { et: later } });
  assert.equal(onDeviceNode.rsc, 2004, onDeviceNode.dbg);
  assert.equal(onDeviceNode.body.et, later);

  const refused: Array<[string, string, unknown, RegExp]> = [
    ['POST', '/proxy', { 'm2m:nod': { rn: 'past', ni: 'p', et: inSeconds(-60) } }, /not in the future/],
    ['POST', '/proxy', { 'm2m:nod': { rn: 'feb30', ni: 'p', et: '20300230T000000' } }, /no date/],
    ['POST', '/proxy', { 'm2m:nod': { rn: 'text', ni: 'p', et: 'tomorrow' } }, /"et"/],
    ['PUT', '/proxy/n1', { 'm2m:nod': { et: inSeconds(-1) } }, /not in the future/],
    ['PUT', '/proxy/n1', { 'm2m:nod': { et: '20301301T000000' } }, /no date/],
    ['PUT', `${node}/battery`, { 'm2m:bat': { et: inSeconds(-60) } }, /not in the future/],
  ];
  for (const [method, path, content, dbg] of refused) {
    const answer = await oneM2M(proxy, method, path, content, method === 'POST' ? CREATE_NODE : {});
    assert.equal(answer.rsc, 4000, `${method} ${path} ${JSON.stringify(content)}`);
    assert.match(answer.dbg ?? '', dbg);
  }
  assert.equal((await oneM2M(proxy, 'GET', '/proxy/past')).rsc, 4004, 'nothing was created');
  assert.equal((await oneM2M(proxy, 'GET', '/proxy/n1')).body.et, later, 'nothing was changed');
});

test('a CSE-created node whose et passes answers 4004 and is swept from the store; a device node with a passed et stays', async (t) => {
  const proxy = await startProxy({ EXPIRY_SWEEP_INTERVAL_MS: '200' });
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());

  const soon = inSeconds(2);
  assert.equal((await oneM2M(proxy, 'PUT', node, { 'm2m:nod': { et: soon } })).rsc, 2004);
  const created = await oneM2M(proxy, 'POST', '/proxy', { 'm2m:nod': { rn: 'short-lived', ni: 'short-ni', et: soon } }, CREATE_NODE);
  assert.equal(created.rsc, 2001, created.dbg);
  assert.equal((await oneM2M(proxy, 'GET', '/proxy/short-lived')).rsc, 2000);

  const gone = await eventually(async () => {
    const answer = await oneM2M(proxy, 'GET', '/proxy/short-lived');
    return answer.rsc === 4004 ? answer : undefined;
  }, 20_000, 'the expired node to answer 4004');
  assert.match(gone.dbg ?? '', /no resource/);
  await eventually(async () => ((await discoveredNodes(proxy)).includes('proxy/short-lived') ? undefined : true), 20_000, 'the sweep to delete the node');

  // the sweep that deleted the CSE's node passed the device node's et too: it stands for a device and stays
  const deviceNode = await oneM2M(proxy, 'GET', node);
  assert.equal(deviceNode.rsc, 2000, deviceNode.dbg);
  assert.equal(deviceNode.body.et, soon);
  assert.equal((await oneM2M(proxy, 'GET', `${node}/battery`)).rsc, 2000, 'its mgmtObjs stay too');
  assert.ok((await discoveredNodes(proxy)).includes(node.slice(1)));
});

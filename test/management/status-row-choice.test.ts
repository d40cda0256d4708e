/**
 * Issue 9, point 3: the core maps what the adapter reports through the status tables, so each operation's answer comes
 * from the row of the operation the device carried out (an Update that ends in an Execute from the execute row, not the
 * write row), and the refusals decided before the device is asked come from the table's `proxy` rows. A table copy
 * gives each of those rows an RSC of its own; the answers must show them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Operation } from '../../src/core/primitives.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { TableCopy } from '../mappings/table-copy.js';
import { ScriptedDeviceAdapter } from '../tree/scripted-device-adapter.js';
import { openHarness } from '../tree/tree-harness.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap, type ManagedDevice } from './managed-devices.js';
import { eventually } from '../lwm2m/helpers.js';

const CREATE = { 'Content-Type': 'application/json;ty=13' };

/** Success labels with RSCs no shipped row of their operation sends. */
const PINNED_LABELS = `
  pinned - read:
    rsc: 2002
  pinned - write:
    rsc: 2001
  pinned - execute:
    rsc: 2000
  pinned - create:
    rsc: 2004
  pinned - delete:
    rsc: 2000
  pinned - nothing to send:
    rsc: 2000
profiles:`;

/** The LwM2M success row of each operation, found by its description, and the label it gets in the copy. */
const SUCCESS_ROWS: Array<[string, string]> = [
  ['Read', 'pinned - read'],
  ['Write', 'pinned - write'],
  ['Execute', 'pinned - execute'],
  ['Create', 'pinned - create'],
  ['Delete', 'pinned - delete'],
];

/** Each proxy row and the label (and so RSC) it gets in the copy. */
const PROXY_ROWS: Array<[string, string, string]> = [
  ['unmapped', 'error - not found', 'error - not implemented'], // 5001
  ['no-instance', 'error - not found', 'error - forbidden'], // 4005
  ['invalid-value', 'error - bad request', 'error - unsupported data type'], // 4015
  ['nothing-to-send', 'success', 'pinned - nothing to send'], // 2000
  ['expired', 'error - not reachable before expiry', 'error - not reachable'], // 6003
];

function pinnedTables(): TableCopy {
  const copy = new TableCopy();
  copy.edit('status/vocabulary.yaml', '\nprofiles:', PINNED_LABELS);
  for (const [operation, label] of SUCCESS_ROWS) {
    copy.edit('status/lwm2m.yaml', `label: success\n        description: “${operation}” operation`, `label: ${label}\n        description: “${operation}” operation`);
  }
  for (const [code, shipped, label] of PROXY_ROWS) copy.edit('status/lwm2m.yaml', `code: ${code}\n    label: ${shipped}\n`, `code: ${code}\n    label: ${label}\n`);
  // a specialization no LwM2M object is mapped to
  const objects = copy.read('objects/lwm2m.yaml');
  copy.write('objects/lwm2m.yaml', objects.slice(0, objects.indexOf('  mobileNetwork:\n')));
  return copy;
}

describe('each mgmtObj operation answers from the status row of what the device did', () => {
  const copy = pinnedTables();
  let proxy: TestProxy;
  let managed: ManagedDevice;

  before(async () => {
    proxy = await startProxy({ MAPPINGS_DIR: copy.dir });
    managed = await attachDevice(proxy, { autoUpdate: false });
  });
  after(async () => {
    managed.device.close();
    await proxy.stop(true);
    copy.remove();
  });

  async function exchange(method: string, path: string, content?: unknown) {
    const from = managed.device.requests.length;
    const answer = await oneM2M(proxy, method, path, content, method === 'POST' ? CREATE : {});
    return { ...answer, sent: sentSince(managed.device, from) };
  }

  it('Retrieve: the read row', async () => {
    const { rsc, dbg, sent } = await exchange('GET', `${managed.node}/deviceInfo`);
    assert.equal(rsc, 2002, dbg);
    assert.deepEqual(sent, ['GET /3/0']);
  });

  it('Update of a writable attribute: the write row', async () => {
    const { rsc, dbg, sent } = await exchange('PUT', `${managed.node}/firmware`, wrap('firmware', { url: 'sim:fw.bin' }));
    assert.equal(rsc, 2001, dbg);
    assert.deepEqual(sent, ['PUT /5/0/1']);
  });

  it('Update of only an executable attribute: the execute row, not the write row', async () => {
    const { rsc, dbg, sent } = await exchange('PUT', `${managed.node}/deviceCapability-0`, wrap('deviceCapability', { ena: true }));
    assert.equal(rsc, 2000, dbg);
    assert.deepEqual(sent, ['POST /15/0/5']);
  });

  it('Update that writes and then executes: the execute row, the last step the device carried out', async () => {
    const { rsc, dbg, sent } = await exchange('PUT', `${managed.node}/eventLog-0`, wrap('eventLog', { lgt: 3, lga: true }));
    assert.equal(rsc, 2000, dbg);
    assert.deepEqual(sent, ['PUT /20/0/4010', 'POST /20/0/4011']);
  });

  it('Create: the create row; Delete: the delete row', async () => {
    const created = await exchange('POST', managed.node, wrap('software', { mgd: 1002, rn: 'software-pinned', swn: 'a', vr: '1', url: 'sim:a' }));
    assert.equal(created.rsc, 2004, created.dbg);
    assert.equal(created.sent[0], 'POST /9');
    const deleted = await exchange('DELETE', `${managed.node}/software-pinned`);
    assert.equal(deleted.rsc, 2000, deleted.dbg);
    assert.deepEqual(deleted.sent, [`DELETE ${created.body.obps[0]}`]);
  });

  it('refusals before the device is asked come from the proxy rows: unmapped, no-instance, invalid-value, nothing-to-send', async () => {
    const held = await exchange('POST', managed.node, wrap('mobileNetwork', { mgd: 1031, rn: 'network-pinned', cnb: 0 }));
    assert.equal(held.rsc, 2001, `no LwM2M object is mapped: the proxy holds it (${held.dbg})`);
    // the unmapped row answers for a published mgmtObj whose mapping an integrator removed since
    const objects = copy.read('objects/lwm2m.yaml');
    copy.write('objects/lwm2m.yaml', objects.replace(/\n {2}memory:\n(?: {4}.*\n)*/, '\n'));
    const unmapped = await eventually(async () => {
      const answer = await exchange('GET', `${managed.node}/memory`);
      return answer.rsc === 2002 ? undefined : answer;
    }, 15_000, 'the tables without memory to be reloaded');
    assert.equal(unmapped.rsc, 5001, unmapped.dbg);
    assert.match(unmapped.dbg ?? '', /^error - not implemented \(unmapped without asking the device\): no LwM2M object is mapped to mgmtObj type "memory"/);

    const noInstance = await exchange('POST', managed.node, wrap('software', { mgd: 1002, rn: 'software-nowhere', swn: 'x', vr: '1', url: 'sim:x', obps: ['/5/0'] }));
    assert.equal(noInstance.rsc, 4005, noInstance.dbg);
    assert.match(noInstance.dbg ?? '', /^error - forbidden \(no-instance without asking the device\): .*objectPaths/);

    const invalid = await exchange('PUT', `${managed.node}/deviceInfo`, wrap('deviceInfo', { syst: '20240230T000000' }));
    assert.equal(invalid.rsc, 4015, invalid.dbg);
    assert.match(invalid.dbg ?? '', /^error - unsupported data type \(invalid-value without asking the device\): "syst"/);

    const nothing = await exchange('PUT', `${managed.node}/reboot`, wrap('reboot', { far: false }));
    assert.equal(nothing.rsc, 2000, nothing.dbg);

    for (const answer of [held, unmapped, noInstance, invalid, nothing]) assert.deepEqual(answer.sent, []);
  });
});

describe('the core answers an adapter that gives no result by the deadline from the expired row', () => {
  it('takes the RSC and label of the edited row', async (t) => {
    const copy = pinnedTables();
    const h = await openHarness({ MAPPINGS_DIR: copy.dir });
    t.after(async () => {
      await h.close();
      copy.remove();
    });
    const adapter = new ScriptedDeviceAdapter();
    h.adapters.register(adapter);
    await h.devices.upsertDevice({
      protocol: 'lwm2m', deviceId: 'urn:dev:silent', address: 'coap://127.0.0.1:5690', online: true,
      mgmtObjs: [{ type: 'reboot', rn: 'reboot', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] }],
    });
    adapter.script.update = () => new Promise(() => {});
    const answer = await h.request({ op: Operation.Update, to: 'proxy/dev:silent/reboot', pc: { 'm2m:rbo': { rbo: true } }, deadline: Date.now() + 100 });
    assert.equal(answer.rsc, 6003);
    assert.equal(answer.pc?.['m2m:dbg'], 'error - not reachable (the device did not answer before the request expired)');
  });
});

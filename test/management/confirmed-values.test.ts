/**
 * Issue 8, point 10: the stored and returned mgmtObj never claims a value the device refused or did not confirm. An
 * Update keeps the writes the device acknowledged, even when a later step failed; a Create answers what the device
 * reports for its new instance, read back before any other request to the device.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { mgmtObjs } from '../lwm2m/helpers.js';
import type { SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';

describe('stored and answered values are the ones the device confirmed', () => {
  let proxy: TestProxy;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    ({ device, node } = await attachDevice(proxy, { autoUpdate: false }));
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  const stored = async (rn: string) => (await mgmtObjs(proxy, node.slice(1))).get(rn) ?? {};

  it('Update: the device takes the URL but refuses Install; the URL it acknowledged is stored, the answer is the refusal', async () => {
    device.answerWith('/9/0/4', '4.05');
    const answer = await oneM2M(proxy, 'PUT', `${node}/software-0`, wrap('software', { url: 'sim:app-3', in: true }));
    assert.equal(answer.rsc, 4005);
    assert.match(answer.dbg ?? '', /already done: write \/9\/0\/3/);
    assert.equal(device.value('/9/0/3'), 'sim:app-3');
    assert.equal((await stored('software-0')).url, 'sim:app-3', 'the tree shows what the device now holds');
  });

  it('Update: a Write the device refuses leaves the stored value as it was', async () => {
    const before = (await stored('firmware')).url;
    device.answerWith('/5/0/1', '4.05');
    const answer = await oneM2M(proxy, 'PUT', `${node}/firmware`, wrap('firmware', { url: 'sim:refused.bin' }));
    assert.equal(answer.rsc, 4005);
    assert.equal((await stored('firmware')).url, before);
  });

  it('Create: the answer carries what the device reports, read back in the same queue slot as the Create', async () => {
    const content = wrap('software', { mgd: 1002, rn: 'reported', swn: 'asked-name', vr: '9.9', url: 'sim:c' });
    const from = device.requests.length;
    // a Retrieve sent at the same moment must not get between the Create and its read-back
    const [created, other] = await Promise.all([
      oneM2M(proxy, 'POST', node, content, { 'Content-Type': 'application/json;ty=13' }),
      oneM2M(proxy, 'GET', `${node}/deviceInfo`),
    ]);
    assert.equal(created.rsc, 2001, created.dbg);
    assert.equal(other.rsc, 2000, other.dbg);
    const [instance] = created.body.obps as string[];
    const sent = sentSince(device, from);
    assert.equal(sent[sent.indexOf('POST /9') + 1], `GET ${instance}`, `read back right after the Create: ${sent.join(', ')}`);
    assert.equal(created.body.swn, device.value(`${instance}/0`));
    assert.equal(created.body.vr, device.value(`${instance}/1`));
    assert.notEqual(created.body.swn, 'asked-name');
    assert.deepEqual(created.body.ins, { acn: 'in', sus: 3 }, 'the device reports the download it started (in process)');
    assert.equal((await stored('reported')).swn, created.body.swn);
  });
});

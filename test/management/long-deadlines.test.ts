import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap, type ManagedDevice } from './managed-devices.js';

/**
 * Deadlines beyond setTimeout's 2^31-1 ms: the proxy must wait for the device, not answer 6030 at once while the
 * operation goes on.
 */
describe('requests whose X-M2M-RET lies more than 2^31-1 ms ahead', () => {
  let proxy: TestProxy;
  let managed: ManagedDevice;

  before(async () => {
    proxy = await startProxy();
    managed = await attachDevice(proxy, { autoUpdate: false, timing: { rebootMs: 30 } });
  });
  after(async () => {
    managed.device.close();
    await proxy.stop(true);
  });

  // The core waits 500 ms past the deadline for the adapter: RETs around the last one whose plain setTimeout fits, and beyond.
  for (const ret of ['2147483147', '2147483148', '2147483647', '2147483648', '3000000000', '20300101T000000']) {
    it(`a Retrieve with X-M2M-RET ${ret} gets the device's answer (2000)`, async () => {
      const answer = await oneM2M(proxy, 'GET', `${managed.node}/deviceInfo`, undefined, { 'X-M2M-RET': ret });
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.equal(answer.body.man, 'Simulated Devices Ltd');
    });
  }

  it('a reboot with X-M2M-RET 3000000000 is reported as done (2004), not as failed', async () => {
    const from = managed.device.requests.length;
    const rebooted = new Promise((resolve) => managed.device.once('rebooted', resolve));
    const answer = await oneM2M(proxy, 'PUT', `${managed.node}/reboot`, wrap('reboot', { rbo: true }), { 'X-M2M-RET': '3000000000' });
    assert.equal(answer.rsc, 2004, answer.dbg);
    assert.deepEqual(sentSince(managed.device, from), ['POST /3/0/4']);
    await rebooted;
  });
});

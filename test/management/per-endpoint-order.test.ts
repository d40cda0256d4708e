import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, startProxy } from './managed-devices.js';

describe('one request at a time per endpoint (NSTART = 1), endpoints in parallel', () => {
  let proxy: TestProxy;

  before(async () => {
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.stop(true);
  });

  it('holds later requests until the first one, delayed by a lost datagram, is answered', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      device.dropRequests(1); // the first request is answered only after its retransmission (~100 ms later)
      const answers = await Promise.all(['deviceInfo', 'firmware', 'software-0'].map((rn) => oneM2M(proxy, 'GET', `${node}/${rn}`)));
      assert.deepEqual(answers.map((answer) => answer.rsc), [2000, 2000, 2000]);
      const received = device.requests.map((request) => request.path);
      assert.deepEqual(received, ['/3/0', '/5/0', '/9/0'], 'had the others been sent at once, they would have arrived before the retransmission');
      assert.equal(device.droppedRequests, 1);
    } finally {
      device.close();
    }
  });

  it('a device that does not answer does not hold up another device', async () => {
    const silent = await attachDevice(proxy, { autoUpdate: false });
    const lively = await attachDevice(proxy, { autoUpdate: false });
    try {
      silent.device.quirks.silent = true;
      let silentDone = false;
      const stuck = oneM2M(proxy, 'GET', `${silent.node}/deviceInfo`).finally(() => (silentDone = true));
      const answer = await oneM2M(proxy, 'GET', `${lively.node}/deviceInfo`);
      assert.equal(answer.rsc, 2000);
      assert.equal(silentDone, false, 'the other device answered while the silent one was still being waited for');
      assert.equal((await stuck).rsc, 6003);
    } finally {
      silent.device.close();
      lively.device.close();
    }
  });
});

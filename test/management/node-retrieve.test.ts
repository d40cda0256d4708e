/**
 * Issue 8, points 9 and 11: a Retrieve of a device's `<node>` with rcn=4 reads each object instance once (deviceInfo,
 * memory, battery and reboot share /3/0), reads nothing for mgmtObjs without readable attributes, and answers like a
 * Retrieve of a single child when the device cannot be read: never 2000 with stored values presented as current.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, sentSince, startProxy } from './managed-devices.js';

describe('Retrieve of a device node with its children (rcn=4), and of mgmtObjs without readable attributes', () => {
  let proxy: TestProxy;

  before(async () => {
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.stop(true);
  });

  it('reads every object instance exactly once', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      const answer = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
      assert.equal(answer.rsc, 2000, answer.dbg);
      const sent = sentSince(device, 0);
      assert.deepEqual(sent.filter((request) => request === 'GET /3/0'), ['GET /3/0'], 'deviceInfo, memory, battery share one Read of /3/0');
      assert.deepEqual([...sent].sort(), ['GET /15/0', 'GET /20/0', 'GET /3/0', 'GET /4/0', 'GET /5/0', 'GET /9/0']);
      assert.equal(answer.body['m2m:dvi'][0].man, 'Simulated Devices Ltd');
      assert.equal(answer.body['m2m:mem'][0].mmt, 128_000);
      assert.equal(typeof answer.body['m2m:bat'][0].btl, 'number');
    } finally {
      device.close();
    }
  });

  it('reboot has no readable attribute: its Retrieve sends nothing', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      const answer = await oneM2M(proxy, 'GET', `${node}/reboot`);
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.equal(answer.body.rn, 'reboot');
      const partial = await oneM2M(proxy, 'GET', `${node}/reboot?atrl=rbo`);
      assert.equal(partial.rsc, 2000, partial.dbg);
      assert.deepEqual(device.requests, []);
    } finally {
      device.close();
    }
  });

  it('a device that does not answer: the node Retrieve answers what a Retrieve of its firmware answers', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      device.quirks.silent = true;
      const single = await oneM2M(proxy, 'GET', `${node}/firmware`);
      const whole = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
      assert.notEqual(whole.rsc, 2000, 'no success with values that were never read (firmware uds)');
      assert.equal(whole.rsc, single.rsc);
      assert.match(whole.dbg ?? '', /timeout/);
    } finally {
      device.close();
    }
  });

  it('a de-registered device: the node Retrieve answers not-registered through the table, stored values only with rcn=1', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false });
    try {
      await device.deregister();
      const single = await oneM2M(proxy, 'GET', `${node}/battery`);
      const whole = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
      assert.equal(whole.rsc, single.rsc);
      assert.match(whole.dbg ?? '', /not-registered/);
      assert.equal((await oneM2M(proxy, 'GET', node)).rsc, 2000, 'the node itself is local');
      assert.deepEqual(device.requests, []);
    } finally {
      device.close();
    }
  });
});

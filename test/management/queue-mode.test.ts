import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, sentSince, startProxy, type ManagedDevice } from './managed-devices.js';

/** A queue-mode device counts as reachable this long after its last message. */
const AWAKE_MS = 300;

describe('queue mode: requests wait for the device to wake up', () => {
  let proxy: TestProxy;
  let managed: ManagedDevice;

  before(async () => {
    proxy = await startProxy({ QUEUE_MODE_AWAKE_MS: String(AWAKE_MS) });
    managed = await attachDevice(proxy, { queueMode: true, autoUpdate: false });
  });
  after(async () => {
    managed.device.close();
    await proxy.stop(true);
  });

  async function fallAsleep(): Promise<void> {
    managed.device.sleep();
    await sleep(AWAKE_MS + 50);
  }

  it('goes out at once while the device is awake (just after its Register or Update)', async () => {
    await managed.device.update();
    const answer = await oneM2M(proxy, 'GET', `${managed.node}/battery`);
    assert.equal(answer.rsc, 2000);
  });

  it('waits while the device sleeps and is sent, in order, when it wakes', async () => {
    await fallAsleep();
    const from = managed.device.requests.length;
    const first = oneM2M(proxy, 'GET', `${managed.node}/deviceInfo`, undefined, { 'X-M2M-RET': '3000' });
    await sleep(20);
    const second = oneM2M(proxy, 'GET', `${managed.node}/firmware`, undefined, { 'X-M2M-RET': '3000' });
    await sleep(150);
    assert.deepEqual(sentSince(managed.device, from), [], 'nothing is sent to a sleeping device');
    assert.equal(managed.device.droppedRequests, 0, 'not even a datagram the sleeping device would lose');
    await managed.device.wake();
    const [deviceInfo, firmware] = await Promise.all([first, second]);
    assert.equal(deviceInfo.rsc, 2000);
    assert.equal(deviceInfo.body.man, 'Simulated Devices Ltd');
    assert.equal(firmware.rsc, 2000);
    assert.deepEqual(sentSince(managed.device, from), ['GET /3/0', 'GET /5/0']);
  });

  it('drops a request whose deadline passes while the device sleeps (6030) and still sends the later one', async () => {
    await fallAsleep();
    const from = managed.device.requests.length;
    const expiring = oneM2M(proxy, 'GET', `${managed.node}/deviceInfo`, undefined, { 'X-M2M-RET': '200' });
    const lasting = oneM2M(proxy, 'GET', `${managed.node}/memory`, undefined, { 'X-M2M-RET': '3000' });
    const expired = await expiring;
    assert.equal(expired.rsc, 6030);
    await managed.device.wake();
    const memory = await lasting;
    assert.equal(memory.rsc, 2000);
    assert.equal(memory.body.mmt, 128_000);
    assert.deepEqual(sentSince(managed.device, from), ['GET /3/0'], 'only the memory Read of /3/0 reached the device');
  });

  it('a waiting request fails as not registered when the device de-registers instead of waking', async () => {
    const other = await attachDevice(proxy, { queueMode: true, autoUpdate: false });
    try {
      other.device.sleep();
      await sleep(AWAKE_MS + 50);
      const waiting = oneM2M(proxy, 'GET', `${other.node}/deviceInfo`, undefined, { 'X-M2M-RET': '3000' });
      await sleep(50);
      await other.device.deregister();
      const answer = await waiting;
      assert.equal(answer.rsc, 6003, answer.dbg);
      assert.match(answer.dbg ?? '', /not-registered/);
      assert.deepEqual(other.device.requests, []);
    } finally {
      other.device.close();
    }
  });
});

describe('queue mode with the compat vocabulary profile', () => {
  it('answers an expired request through the status table, so the profile applies (6030 → 4008)', async () => {
    const proxy = await startProxy({ QUEUE_MODE_AWAKE_MS: String(AWAKE_MS), STATUS_PROFILE: 'compat' });
    const managed = await attachDevice(proxy, { queueMode: true, autoUpdate: false });
    try {
      managed.device.sleep();
      await sleep(AWAKE_MS + 50);
      const expired = await oneM2M(proxy, 'GET', `${managed.node}/deviceInfo`, undefined, { 'X-M2M-RET': '200' });
      assert.equal(expired.rsc, 4008, expired.dbg);
      assert.match(String(expired.dbg), /not reachable before expiry/);
    } finally {
      managed.device.close();
      await proxy.stop(true);
    }
  });
});

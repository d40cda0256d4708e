import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, sentSince, startProxy } from './managed-devices.js';
import { AWAKE_MS, PATIENT, PATIENT_COAP, QueueModeDevice, queued } from './queue-mode-device.js';

describe('queue mode: requests go out at once while the device is awake', () => {
  it('sends a request just after the Register without waiting', async () => {
    // A window no loaded machine outlasts: this test is about the awake case only.
    const proxy = await startProxy({ ...PATIENT_COAP, QUEUE_MODE_AWAKE_MS: '600000' });
    const managed = await attachDevice(proxy, { queueMode: true, autoUpdate: false });
    try {
      const from = managed.device.requests.length;
      const answer = await oneM2M(proxy, 'GET', `${managed.node}/battery`, undefined, PATIENT);
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.deepEqual(sentSince(managed.device, from), ['GET /3/0']);
    } finally {
      managed.device.close();
      await proxy.stop(true);
    }
  });
});

describe('queue mode: requests wait for the device to wake up', () => {
  let proxy: TestProxy;
  let device: QueueModeDevice;

  before(async () => {
    proxy = await startProxy({ ...PATIENT_COAP, QUEUE_MODE_AWAKE_MS: String(AWAKE_MS) });
    device = new QueueModeDevice(await attachDevice(proxy, { queueMode: true, autoUpdate: false }));
  });
  after(async () => {
    device.managed.device.close();
    await proxy.stop(true);
  });

  it('waits while the device sleeps and is sent, in order, when it wakes', async () => {
    const { device: sim, node } = device.managed;
    await device.fallAsleep();
    const from = sim.requests.length;
    const first = oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT);
    await queued(proxy, 1);
    const second = oneM2M(proxy, 'GET', `${node}/firmware`, undefined, PATIENT);
    await queued(proxy, 2);
    assert.deepEqual(sentSince(sim, from), [], 'nothing is sent to a sleeping device');
    assert.equal(sim.droppedRequests, 0, 'not even a datagram the sleeping device would lose');
    await device.contact(sim.wake());
    const [deviceInfo, firmware] = await device.contact(Promise.all([first, second]));
    assert.equal(deviceInfo.rsc, 2000, deviceInfo.dbg);
    assert.equal(deviceInfo.body.man, 'Simulated Devices Ltd');
    assert.equal(firmware.rsc, 2000, firmware.dbg);
    assert.deepEqual(sentSince(sim, from), ['GET /3/0', 'GET /5/0']);
  });

  it('drops a request whose deadline passes while the device sleeps (6030) and still sends the later one', async () => {
    const { device: sim, node } = device.managed;
    await device.fallAsleep();
    const from = sim.requests.length;
    const expiring = oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, { 'X-M2M-RET': '200' });
    const lasting = oneM2M(proxy, 'GET', `${node}/memory`, undefined, PATIENT);
    const expired = await expiring;
    assert.equal(expired.rsc, 6030, expired.dbg);
    await queued(proxy, 1);
    await device.contact(sim.wake());
    const memory = await device.contact(lasting);
    assert.equal(memory.rsc, 2000, memory.dbg);
    assert.equal(memory.body.mmt, 128_000);
    assert.deepEqual(sentSince(sim, from), ['GET /3/0'], 'only the memory Read of /3/0 reached the device');
  });

  it('a waiting request fails as not registered when the device de-registers instead of waking', async () => {
    const other = new QueueModeDevice(await attachDevice(proxy, { queueMode: true, autoUpdate: false }));
    try {
      await other.fallAsleep();
      const waiting = oneM2M(proxy, 'GET', `${other.managed.node}/deviceInfo`, undefined, PATIENT);
      await queued(proxy, 1);
      await other.managed.device.deregister();
      const answer = await waiting;
      assert.equal(answer.rsc, 6003, answer.dbg);
      assert.match(answer.dbg ?? '', /not-registered/);
      assert.deepEqual(other.managed.device.requests, []);
    } finally {
      other.managed.device.close();
    }
  });

  it('a request waiting for a sleeping device with a deadline beyond 2^31-1 ms is sent when it wakes', async () => {
    const { device: sim, node } = device.managed;
    await device.fallAsleep();
    const waiting = oneM2M(proxy, 'GET', `${node}/battery`, undefined, { 'X-M2M-RET': '3000000000' });
    await queued(proxy, 1);
    await device.contact(sim.wake());
    const answer = await device.contact(waiting);
    assert.equal(answer.rsc, 2000, answer.dbg);
  });
});

describe('queue mode with the compat vocabulary profile', () => {
  it('answers an expired request through the status table, so the profile applies (6030 → 4008)', async () => {
    const proxy = await startProxy({ ...PATIENT_COAP, QUEUE_MODE_AWAKE_MS: String(AWAKE_MS), STATUS_PROFILE: 'compat' });
    const device = new QueueModeDevice(await attachDevice(proxy, { queueMode: true, autoUpdate: false }));
    try {
      await device.fallAsleep();
      const expired = await oneM2M(proxy, 'GET', `${device.managed.node}/deviceInfo`, undefined, { 'X-M2M-RET': '200' });
      assert.equal(expired.rsc, 4008, expired.dbg);
      assert.match(String(expired.dbg), /not reachable before expiry/);
    } finally {
      device.managed.device.close();
      await proxy.stop(true);
    }
  });
});

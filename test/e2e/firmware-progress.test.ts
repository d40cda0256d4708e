import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedDeviceOptions } from '../../src/sim/lwm2m/index.js';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { notificationReceiver } from '../helpers/notification-receiver.js';
import { eventually } from '../lwm2m/helpers.js';
import { attachDevice, oneM2M, TEST_ENV, wrap, type ManagedDevice } from '../management/managed-devices.js';

const AWAKE_MS = 300;
/** RFC 7252 timing, so a device slowed by a loaded machine is not taken for a silent one. */
const ENV = { ...TEST_ENV, COAP_ACK_TIMEOUT_MS: '2000', COAP_MAX_RETRANSMIT: '4', QUEUE_MODE_AWAKE_MS: String(AWAKE_MS), OBSERVE_PMIN_S: '0' };
const PATIENT = { 'X-M2M-RET': '60000' };
const UPPER_BOUND_MS = 30_000;
const IN_PROCESS = { acn: 'ud', sus: 3 };

/** The firmware mgmtObj as the proxy holds it (rcn=8 shows stored children without asking the device). */
async function storedFirmware(proxy: TestProxy, managed: ManagedDevice): Promise<Record<string, any>> {
  const answer = await oneM2M(proxy, 'GET', `${managed.node}?rcn=8`);
  assert.equal(answer.rsc, 2000, answer.dbg);
  const firmware = (answer.body['m2m:fwr'] as Array<Record<string, any>> | undefined)?.[0];
  assert.ok(firmware, `a firmware child in ${JSON.stringify(answer.body)}`);
  return firmware;
}

function storedStatus(proxy: TestProxy, managed: ManagedDevice, sus: number): Promise<Record<string, any>> {
  return eventually(async () => {
    const firmware = await storedFirmware(proxy, managed);
    return firmware.uds?.acn === 'ud' && firmware.uds?.sus === sus ? firmware : undefined;
  }, UPPER_BOUND_MS, `stored uds {acn: ud, sus: ${sus}}`);
}

/** Downloads a package so that the device is ready to update (State 2). */
async function downloaded(proxy: TestProxy, managed: ManagedDevice): Promise<void> {
  const answer = await oneM2M(proxy, 'PUT', `${managed.node}/firmware`, wrap('firmware', { url: 'sim:fw-1.1' }), PATIENT);
  assert.equal(answer.rsc, 2004, answer.dbg);
  await eventually(async () => (managed.device.value('/5/0/3') === 2 ? true : undefined), UPPER_BOUND_MS, 'firmware downloaded');
}

/** The device's observations are all gone (the proxy cancelled them). */
function observationsGone(managed: ManagedDevice): Promise<true> {
  return eventually(async () => (managed.device.observations().length === 0 ? true : undefined), UPPER_BOUND_MS, 'observations cancelled');
}

async function withDevice(env: Record<string, string>, options: Partial<SimulatedDeviceOptions>, test: (proxy: TestProxy, managed: ManagedDevice) => Promise<void>): Promise<void> {
  const proxy = await startTestProxy({ ...ENV, ...env });
  const managed = await attachDevice(proxy, options);
  try {
    await test(proxy, managed);
  } finally {
    managed.device.close();
    await proxy.stop(true);
  }
}

describe('a firmware update is observed until its terminal state', () => {
  it('success: the blocking Update answers In_Process at the Execute, then the stored mgmtObj follows the device to success', async () => {
    await withDevice({}, { timing: { updateMs: 500 } }, async (proxy, managed) => {
      await downloaded(proxy, managed);
      const observed: string[] = [];
      managed.device.on('observed', (path: string) => observed.push(path));
      const answer = await oneM2M(proxy, 'PUT', `${managed.node}/firmware`, wrap('firmware', { ud: true }), PATIENT);
      assert.equal(answer.rsc, 2004, answer.dbg);
      assert.deepEqual(answer.body.uds, IN_PROCESS);
      const done = await storedStatus(proxy, managed, 1);
      assert.equal(done.vr, '1.1.0', 'the new version is stored too');
      assert.ok(observed.includes('/5/0/3') && observed.includes('/5/0/5'), `observed ${observed.join(', ')}`);
      await observationsGone(managed);
    });
  });

  it('failure: a failed update is stored as Failure and the observation ends', async () => {
    await withDevice({}, { timing: { updateMs: 300 }, firmware: { updateFailure: 8 } }, async (proxy, managed) => {
      await downloaded(proxy, managed);
      const answer = await oneM2M(proxy, 'PUT', `${managed.node}/firmware`, wrap('firmware', { ud: true }), PATIENT);
      assert.equal(answer.rsc, 2004, answer.dbg);
      await storedStatus(proxy, managed, 2);
      await observationsGone(managed);
    });
  });

  it('a device that never reports: the non-blocking request fails at PROGRESS_TIMEOUT_S and the observation is cancelled', async () => {
    await withDevice({ PROGRESS_TIMEOUT_S: '2' }, { timing: { updateMs: Infinity } }, async (proxy, managed) => {
      await downloaded(proxy, managed);
      const accepted = await oneM2M(proxy, 'PUT', `${managed.node}/firmware?rt=1`, wrap('firmware', { ud: true }), { ...PATIENT, 'X-M2M-RI': 'fw-silent' });
      assert.equal(accepted.rsc, 1001, accepted.dbg);
      const ri = accepted.body as unknown as string;
      await eventually(async () => (managed.device.observations().length > 0 ? true : undefined), UPPER_BOUND_MS, 'progress observed');
      assert.equal((await oneM2M(proxy, 'GET', `/~/id-proxy/${ri}`)).body.rs, 3, 'PENDING while the device updates');
      const failed = await eventually(async () => {
        const request = (await oneM2M(proxy, 'GET', `/~/id-proxy/${ri}`)).body;
        return request.rs === 3 ? undefined : request;
      }, UPPER_BOUND_MS, 'the <request> to fail');
      assert.equal(failed.rs, 2);
      assert.equal(failed.ors.rsc, 6003, JSON.stringify(failed.ors));
      await observationsGone(managed);
    });
  });
});

describe('a CSE updates the firmware of a sleeping device with rt=2 and gets the result as a notification, across a proxy restart', () => {
  it('the Execute waits for the wake-up, reaches the restarted proxy\'s device, and its terminal state is notified', async () => {
    const receiver = await notificationReceiver();
    let proxy = await startTestProxy(ENV);
    const managed = await attachDevice(proxy, { queueMode: true, autoUpdate: false, timing: { updateMs: 300 } });
    try {
      await downloaded(proxy, managed);
      managed.device.sleep();
      await sleep(AWAKE_MS + 50);
      const accepted = await oneM2M(proxy, 'PUT', `${managed.node}/firmware?rt=2`, wrap('firmware', { ud: true }), {
        ...PATIENT, 'X-M2M-RI': 'fw-asleep', 'X-M2M-RTU': receiver.url,
      });
      assert.equal(accepted.rsc, 1002, accepted.dbg);
      const { coapPort, dataDir } = proxy;
      await proxy.stop();
      proxy = await startTestProxy({ ...ENV, COAP_PORT: String(coapPort) }, dataDir);
      assert.equal(managed.device.value('/5/0/3'), 2, 'nothing reached the sleeping device');

      await managed.device.wake();
      const notification = await receiver.notificationOf('fw-asleep');
      const rsp = notification.body['m2m:rsp'];
      assert.equal(rsp.rsc, 2004, JSON.stringify(rsp));
      assert.deepEqual(rsp.pc['m2m:fwr'].uds, { acn: 'ud', sus: 1 });
      assert.equal(rsp.pc['m2m:fwr'].vr, '1.1.0');
      assert.equal(managed.device.value('/5/0/5'), 1, 'the device updated');
      await observationsGone(managed);
    } finally {
      managed.device.close();
      await proxy.stop(true);
      await receiver.close();
    }
  });
});

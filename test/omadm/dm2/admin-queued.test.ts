import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, proxyWithOmadm } from '../server/dm-test-kit.js';
import { DEVINFO, enrol2 } from './dm2-test-kit.js';
import { PATIENT, managedDm2Device, oneM2M, queued } from './dm2-adapter-kit.js';

test('GET /admin/omadm/devices/<DevId> counts the commands waiting for a DM 2.0 device in its own queue', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'IMEI:queued-2', 'basic');
  await omadm.dm2Queue.enqueue('IMEI:queued-2', ['GET', `${DEVINFO}//Man`]);
  await omadm.dm2Queue.enqueue('IMEI:queued-2', ['GET', `${DEVINFO}//Mod`]);
  const device = (await (await admin(proxy, 'GET', '/devices/IMEI%3Aqueued-2')).json()) as { version: string; queued: number };
  assert.deepEqual([device.version, device.queued], ['2.0', 2]);
});

const DEV = 'IMEI:2021';

test("GET /admin/omadm/devices/<DevId> of a DM 2.0 device counts its DM 2.0 commands waiting for its next session", async (t) => {
  const dm = await managedDm2Device(t, DEV);
  const admin = async (): Promise<number> => {
    const answer = await oneM2M(dm.proxy, 'GET', `/admin/omadm/devices/${DEV}`);
    return (answer.body as { queued?: number }).queued ?? -1;
  };
  assert.equal(await admin(), 0);
  const read = oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT);
  await queued(dm);
  assert.equal(await admin(), 1, 'the GET of DevInfo waits');
  assert.equal((await dm.sim.openSession()).result, 'completed');
  assert.equal((await read).rsc, 2000);
  assert.equal(await admin(), 0, 'sent and answered');
});

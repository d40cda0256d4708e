import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PATIENT, managedDm2Device, oneM2M, queued } from './dm2-adapter-kit.js';

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

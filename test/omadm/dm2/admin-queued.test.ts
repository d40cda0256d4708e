import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, proxyWithOmadm } from '../server/dm-test-kit.js';
import { DEVINFO, enrol2 } from './dm2-test-kit.js';

test('GET /admin/omadm/devices/<DevId> counts the commands waiting for a DM 2.0 device in its own queue', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'IMEI:queued-2', 'basic');
  await omadm.dm2Queue.enqueue('IMEI:queued-2', ['GET', `${DEVINFO}//Man`]);
  await omadm.dm2Queue.enqueue('IMEI:queued-2', ['GET', `${DEVINFO}//Mod`]);
  const device = (await (await admin(proxy, 'GET', '/devices/IMEI%3Aqueued-2')).json()) as { version: string; queued: number };
  assert.deepEqual([device.version, device.queued], ['2.0', 2]);
});

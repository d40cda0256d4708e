import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notificationReceiver } from '../../helpers/notification-receiver.js';
import { wrap } from '../../management/managed-devices.js';
import { proxyWithOmadm } from '../server/dm-test-kit.js';
import { PATIENT, UPPER_BOUND_MS, dm2Device, oneM2M, sessionOnceQueued } from './dm2-adapter-kit.js';

const DEV = 'IMEI:2022';

test('an EXEC the DM 2.0 device accepted (202) before a proxy restart completes when its Generic Alert reaches the restarted proxy at the report URI', async (t) => {
  const receiver = await notificationReceiver();
  t.after(() => receiver.close());
  const first = await proxyWithOmadm();
  let proxy = first.proxy;
  t.after(() => proxy.stop(true));
  // The update runs long enough for the device's credentials to be broken before its alert is due.
  const sim = await dm2Device(t, proxy, DEV, { exec: { asyncDelayMs: 2000 } });
  assert.equal((await sim.openSession()).result, 'completed');
  const answer = await oneM2M(proxy, 'PUT', `/proxy/${DEV}/firmware?rt=2`, wrap('firmware', { url: 'http://fw.example/2.0', ud: true }), { ...PATIENT, 'X-M2M-RI': 'dm2-restart-exec', 'X-M2M-RTU': receiver.url });
  assert.equal(answer.rsc, 1002, answer.dbg);
  assert.equal((await sessionOnceQueued({ omadm: first.omadm, sim, devId: DEV }, 2)).result, 'completed');
  // The device cannot report yet (its credentials fail): the alert stays owed to the EXEC's report URI.
  sim.faults.wrongSecret = true;
  assert.ok(sim.events.some((event) => event.event === 'command' && event.cmd === 'EXEC' && event.status === 202), 'the device accepted the EXEC');
  const due = await sim.waitFor((event) => event.event === 'generic-alert-due', UPPER_BOUND_MS);
  await sim.waitFor((event) => event.event === 'session-ended' && event.result === 'auth-failed' && sim.events.indexOf(event) > sim.events.indexOf(due), UPPER_BOUND_MS);
  assert.equal(sim.pendingAlerts.length, 1);

  const dmPort = proxy.listeners['omadm-http'].port;
  await proxy.stop();
  ({ proxy } = await proxyWithOmadm({ DM_PORT: String(dmPort) }, proxy.dataDir));
  sim.faults.wrongSecret = false;
  const reportUri = sim.pendingAlerts[0].serverUri as string;
  assert.match(reportUri, /\/dm2\?r=/);
  // The device's kept-alive connection went down with the old proxy: like a polling device, it tries again.
  let session = await sim.openSession({ url: reportUri });
  if (session.result === 'unreachable') session = await sim.openSession({ url: reportUri });
  assert.equal(session.result, 'completed', session.reason);
  const rsp = (await receiver.notificationOf('dm2-restart-exec')).body['m2m:rsp'];
  assert.equal(rsp.rsc, 2004, JSON.stringify(rsp));
  assert.deepEqual(rsp.pc['m2m:fwr'].uds, { acn: 'ud', sus: 1 });
  assert.equal(sim.pendingAlerts.length, 0, 'the alert was taken');
});

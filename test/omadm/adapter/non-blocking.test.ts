import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../lwm2m/helpers.js';
import { notificationReceiver } from '../../helpers/notification-receiver.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { wrap } from '../../management/managed-devices.js';
import type { RunningOmadm } from '../../../src/omadm/index.js';
import { device, enrol, proxyWithOmadm } from '../server/dm-test-kit.js';
import { PATIENT, UPPER_BOUND_MS, managedDmDevice, oneM2M, sessionOnceQueued } from './dm-adapter-kit.js';

const DEV = 'IMEI:3001';

/** Sends a non-blocking request and returns the ri of its `<request>`. */
async function nonBlocking(proxy: TestProxy, method: string, path: string, rt: 1 | 2, rqi: string, content?: unknown, headers: Record<string, string> = {}): Promise<string> {
  const answer = await oneM2M(proxy, method, `${path}?rt=${rt}`, content, { ...PATIENT, 'X-M2M-RI': rqi, ...headers });
  assert.equal(answer.rsc, rt === 1 ? 1001 : 1002, answer.dbg);
  assert.equal(typeof answer.body, 'string', `m2m:uri in ${JSON.stringify(answer.body)}`);
  return answer.body as unknown as string;
}

async function requestResource(proxy: TestProxy, ri: string): Promise<Record<string, any>> {
  const answer = await oneM2M(proxy, 'GET', `/~/id-proxy/${ri}`);
  assert.equal(answer.rsc, 2000, answer.dbg);
  return answer.body;
}

/** A proxy restarted on the data dir and DM port of `proxy` (the device's server URL stays valid). */
async function restarted(proxy: TestProxy): Promise<{ proxy: TestProxy; omadm: RunningOmadm }> {
  const dmPort = proxy.listeners['omadm-http'].port;
  await proxy.stop();
  return proxyWithOmadm({ DM_PORT: String(dmPort) }, proxy.dataDir);
}

test('rt=1: a Retrieve of a DM device answers 1001 at once; its <request> completes once the device\'s session came', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  const ri = await nonBlocking(dm.proxy, 'GET', `${dm.node}/deviceInfo`, 1, 'dm-rt1');
  assert.equal((await requestResource(dm.proxy, ri)).rs, 3, 'PENDING until the device opens a session');
  assert.equal((await sessionOnceQueued(dm.omadm, dm.sim, DEV)).result, 'completed');
  const done = await eventually(async () => {
    const request = await requestResource(dm.proxy, ri);
    return request.rs === 3 ? undefined : request;
  }, UPPER_BOUND_MS, 'the <request> to complete');
  assert.equal(done.rs, 1);
  assert.equal(done.ors.rsc, 2000, JSON.stringify(done.ors));
  assert.equal(done.ors.pc['m2m:dvi'].man, 'onem2m-dm-proxy');
});

test('rt=2: a Retrieve of a DM device is notified once the device\'s session came', async (t) => {
  const receiver = await notificationReceiver();
  t.after(() => receiver.close());
  const dm = await managedDmDevice(t, DEV);
  await nonBlocking(dm.proxy, 'GET', `${dm.node}/memory`, 2, 'dm-rt2', undefined, { 'X-M2M-RTU': receiver.url });
  assert.equal((await sessionOnceQueued(dm.omadm, dm.sim, DEV)).result, 'completed');
  const rsp = (await receiver.notificationOf('dm-rt2')).body['m2m:rsp'];
  assert.equal(rsp.rsc, 2000, JSON.stringify(rsp));
  assert.equal(rsp.pc['m2m:mem'].mmt, 64 * 1024 * 1024);
});

test('a proxy restart between queueing a command and the session: the restarted proxy delivers it and notifies the result', async (t) => {
  const receiver = await notificationReceiver();
  t.after(() => receiver.close());
  const first = await proxyWithOmadm();
  let proxy = first.proxy;
  t.after(() => proxy.stop(true));
  await enrol(proxy, DEV);
  const sim = device(t, proxy, { devId: DEV, version: '1.3' });
  assert.equal((await sim.openSession()).result, 'completed');
  await nonBlocking(proxy, 'GET', `/proxy/${DEV}/deviceInfo`, 2, 'dm-restart-queued', undefined, { 'X-M2M-RTU': receiver.url });
  await eventually(async () => ((await first.omadm.commandQueue.waiting(DEV)).length > 0 ? true : undefined), UPPER_BOUND_MS, 'the Get queued');

  ({ proxy } = await restarted(proxy));
  const before = sim.events.length;
  // The device's kept-alive connection went down with the old proxy: like a polling device, it tries again.
  let session = await sim.openSession();
  if (session.result === 'unreachable') session = await sim.openSession();
  assert.equal(session.result, 'completed', session.reason);
  const rsp = (await receiver.notificationOf('dm-restart-queued')).body['m2m:rsp'];
  assert.equal(rsp.rsc, 2000, JSON.stringify(rsp));
  assert.equal(rsp.pc['m2m:dvi'].dlb, DEV);
  const gets = sim.events.slice(before).filter((event) => event.event === 'command' && event.cmd === 'Get').map((event) => event.path);
  assert.ok(gets.includes('./DevInfo/Man'), `Gets after the restart: ${gets.join(', ')}`);
});

test('an Exec the device accepted (202) before a proxy restart completes when its Generic Alert reaches the restarted proxy', async (t) => {
  const receiver = await notificationReceiver();
  t.after(() => receiver.close());
  const first = await proxyWithOmadm();
  let proxy = first.proxy;
  t.after(() => proxy.stop(true));
  await enrol(proxy, DEV);
  // The operation runs long enough for the proxy to be stopped before its OperationComplete is due.
  const sim = device(t, proxy, { devId: DEV, version: '1.3', exec: { asyncDelayMs: 3000 } });
  assert.equal((await sim.openSession()).result, 'completed');
  await nonBlocking(proxy, 'PUT', `/proxy/${DEV}/software-base`, 2, 'dm-restart-exec', wrap('software', { dea: true }), { 'X-M2M-RTU': receiver.url });
  assert.equal((await sessionOnceQueued(first.omadm, sim, DEV)).result, 'completed');
  assert.ok(sim.events.some((event) => event.event === 'command' && event.cmd === 'Exec' && event.status === 202), 'the device accepted the Exec');

  const dmPort = proxy.listeners['omadm-http'].port;
  await proxy.stop();
  // The device's own session with the alert finds no server; the alert stays owed.
  const due = await sim.waitFor((event) => event.event === 'generic-alert-due', UPPER_BOUND_MS);
  await sim.waitFor((event) => event.event === 'session-ended' && sim.events.indexOf(event) > sim.events.indexOf(due), UPPER_BOUND_MS);
  assert.equal(sim.pendingAlerts.length, 1);
  ({ proxy } = await proxyWithOmadm({ DM_PORT: String(dmPort) }, proxy.dataDir));

  assert.equal((await sim.openSession()).result, 'completed');
  const rsp = (await receiver.notificationOf('dm-restart-exec')).body['m2m:rsp'];
  assert.equal(rsp.rsc, 2004, JSON.stringify(rsp));
  assert.deepEqual(rsp.pc['m2m:swr'].acts, { acn: 'dea', sus: 1 });
  assert.equal(sim.pendingAlerts.length, 0, 'the alert was acknowledged');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dm2Status } from '../../../src/omadm/v20/codec/index.js';
import { SimulatedDm2Device } from '../../../src/sim/omadm2/index.js';
import { admin, proxyWithOmadm } from '../server/dm-test-kit.js';
import { DEVINFO, INITIATION, SECRET, USER, basicAuth, dm2Url, enrol2, package1, recordingEvents } from './dm2-test-kit.js';
import { notificationGateway } from '../../helpers/notification-gateway.js';

interface Push {
  version: string;
  devId: string;
  notificationId: number;
  package0: string;
}

function gateway(t: { after(fn: () => unknown): void }, status: number, deliver?: (package0: Buffer) => Promise<void>) {
  return notificationGateway<Push>(t, status, deliver);
}

/** The sample lines of /metrics: `name{labels}` → value. */
async function samples(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]));
}

const DEV = 'IMEI:3001';
const NOTI_SECRET = 'noti-secret';

async function enrolWithServer(proxy: Parameters<typeof admin>[0], devId: string): Promise<void> {
  const response = await admin(proxy, 'PUT', `/devices/${encodeURIComponent(devId)}`, { version: '2.0', auth: 'basic', client: { user: USER, secret: SECRET }, server: { id: 'dm-proxy', secret: NOTI_SECRET } });
  assert.equal(response.status, 201, await response.text());
}

test('Dm2Waker: a package 0 signed with the device\'s server secret goes through the webhook; the simulator checks it and opens a ServerInitiatedMgmt session that takes the queued command', async (t) => {
  let notifyPort = 0;
  const push = await gateway(t, 204, async (package0) => {
    const delivered = await fetch(`http://127.0.0.1:${notifyPort}/`, { method: 'POST', body: new Uint8Array(package0) });
    if (!delivered.ok) throw new Error(`the device refused package 0: ${delivered.status}`);
  });
  const { proxy, omadm } = await proxyWithOmadm({ DM_TRIGGER: 'webhook', DM_TRIGGER_URL: push.url });
  t.after(() => proxy.stop(true));
  await enrolWithServer(proxy, DEV);
  const sim = new SimulatedDm2Device({ devId: DEV, server: dm2Url(proxy), user: USER, secret: SECRET, serverSecret: NOTI_SECRET });
  t.after(() => sim.close());
  notifyPort = await sim.listenForNotifications(0);
  const { events } = recordingEvents();
  const answered = new Promise<Dm2Status>((resolve) => {
    omadm.dm2Events = { ...events, commandAnswered: (_devId, _entry, status) => resolve(status) };
  });
  await omadm.dm2Queue.enqueue(DEV, ['GET', `${DEVINFO}//Man`]);

  const [first, second] = await Promise.all([omadm.dm2Waker.wake(DEV), omadm.dm2Waker.wake(DEV)]);
  assert.deepEqual([first, second], [{ ok: true }, { ok: true }]);
  assert.equal((await answered).sc, 200);
  assert.deepEqual(push.failures, []);
  assert.equal(push.pushes.length, 1, 'concurrent wakes share one notification');
  assert.equal(push.pushes[0].version, '2.0');
  assert.equal(push.pushes[0].devId, DEV);
  const notified = await sim.waitFor((event) => event.event === 'notification');
  assert.equal(notified.digestChecked, true);
  assert.equal(notified.notificationId, push.pushes[0].notificationId);
  await sim.waitFor((event) => event.event === 'session-ended');
  // The session it opened came: the next request wakes the device again, with a new NOTIFICATION-ID.
  assert.deepEqual(await omadm.dm2Waker.wake(DEV), { ok: true });
  assert.equal(push.pushes.length, 2);
  assert.notEqual(push.pushes[1].notificationId, push.pushes[0].notificationId);
  await sim.waitFor((event) => event.event === 'session-ended' && event.sessionId === '2');
  assert.equal(sim.events.filter((event) => event.event === 'notification-refused').length, 0);

  const metrics = await samples(proxy.url('/metrics'));
  assert.equal(metrics.get('omadm20_notifications_total{outcome="sent"}'), 2);
  assert.equal(metrics.get('omadm20_notifications_total{outcome="answered"}'), 2, 'each session echoed its NOTIFICATION-ID');
  assert.equal(metrics.get('omadm20_notifications_total{outcome="unmatched"}'), undefined);
  // A server-initiated session with a NOTIFICATION-ID the proxy did not send: counted, and served all the same.
  assert.equal((await sim.trigger((push.pushes[1].notificationId % 0xffff) + 1)).result, 'completed');
  assert.equal((await samples(proxy.url('/metrics'))).get('omadm20_notifications_total{outcome="unmatched"}'), 1);
});

test('Dm2Waker answers why a device cannot be woken: no server credentials, a non-2xx or unreachable webhook; DM_TRIGGER=none has nothing to do', async (t) => {
  const refusing = await gateway(t, 503);
  const { proxy, omadm } = await proxyWithOmadm({ DM_TRIGGER: 'webhook', DM_TRIGGER_URL: refusing.url });
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'IMEI:no-server', 'basic');
  const noServer = await omadm.dm2Waker.wake('IMEI:no-server');
  assert.equal(noServer.ok, false);
  assert.match(noServer.ok ? '' : noServer.reason, /no DM 2.0 server credentials/);
  await enrolWithServer(proxy, 'IMEI:refused');
  const refused = await omadm.dm2Waker.wake('IMEI:refused');
  assert.match(refused.ok ? '' : refused.reason, /HTTP 503/);
  assert.equal(refusing.pushes[0].version, '2.0');
  const metrics = await samples(proxy.url('/metrics'));
  assert.equal(metrics.get('omadm20_notifications_total{outcome="failed"}'), 2);

  const { proxy: quiet, omadm: none } = await proxyWithOmadm();
  t.after(() => quiet.stop(true));
  assert.deepEqual(await none.dm2Waker.wake('IMEI:anyone'), { ok: true });
});

test('DM 2.0 auth lockout: after 5 wrong credentials the DevId is refused even with the right ones; challenges do not count', async (t) => {
  const { proxy } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'IMEI:locked', 'basic');
  await enrol2(proxy, 'IMEI:other', 'basic');
  const url = dm2Url(proxy);
  for (let index = 0; index < 6; index++) assert.equal((await package1(url, 'IMEI:locked', INITIATION)).status, 401, 'a challenge');
  assert.equal((await package1(url, 'IMEI:locked', INITIATION, basicAuth())).status, 200, 'challenges alone lock nothing out');
  for (let index = 0; index < 5; index++) assert.equal((await package1(url, 'IMEI:locked', INITIATION, basicAuth(USER, `guess-${index}`))).status, 401);
  const locked = await package1(url, 'IMEI:locked', INITIATION, basicAuth());
  assert.equal(locked.status, 401, 'locked out: the right secret is not looked at');
  assert.match(String(locked.headers['www-authenticate']), /^Basic/);
  assert.equal((await package1(url, 'IMEI:other', INITIATION, basicAuth())).status, 200, 'another DevId is not affected');
  const metrics = await samples(proxy.url('/metrics'));
  assert.equal(metrics.get('omadm20_auth_failures_total'), 6, 'five wrong secrets and one locked-out try');
});

test('/metrics counts DM 2.0 sessions, packages, commands and their durations', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'IMEI:counted', 'basic');
  await omadm.dm2Queue.enqueue('IMEI:counted', ['GET', `${DEVINFO}//Man`]);
  await omadm.dm2Queue.enqueue('IMEI:counted', ['GET', `${DEVINFO}//Mod`]);
  const sim = new SimulatedDm2Device({ devId: 'IMEI:counted', server: dm2Url(proxy), user: USER, secret: SECRET });
  t.after(() => sim.close());
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  // A session replaced by a new package 1 before it was answered loses its command.
  await omadm.dm2Queue.enqueue('IMEI:counted', ['GET', `${DEVINFO}//Man`]);
  assert.equal((await package1(dm2Url(proxy), 'IMEI:counted', INITIATION, basicAuth())).status, 200);
  assert.equal((await package1(dm2Url(proxy), 'IMEI:counted', INITIATION, basicAuth())).status, 200);

  const metrics = await samples(proxy.url('/metrics'));
  assert.equal(metrics.get('omadm20_sessions_total{outcome="completed"}'), 2, 'the simulator\'s and the last one (END at once)');
  assert.equal(metrics.get('omadm20_sessions_total{outcome="replaced"}'), 1);
  assert.equal(metrics.get('omadm20_sessions_open'), 0);
  assert.equal(metrics.get('omadm20_commands_total{event="sent"}'), 3);
  assert.equal(metrics.get('omadm20_commands_total{event="answered"}'), 2);
  assert.equal(metrics.get('omadm20_commands_total{event="lost"}'), 1);
  assert.equal(metrics.get('omadm20_packages_total{package="1"}'), 3);
  assert.equal(metrics.get('omadm20_packages_total{package="3"}'), 1);
  assert.equal(metrics.get('omadm20_packages_total{package="2"}'), 4);
  assert.equal(metrics.get('omadm20_session_seconds_count'), 3);
});

test('a oneM2M Retrieve of a DM 2.0 device without a session wakes it through the webhook; its ServerInitiatedMgmt session answers the request', async (t) => {
  let notifyPort = 0;
  const push = await gateway(t, 204, async (package0) => {
    const delivered = await fetch(`http://127.0.0.1:${notifyPort}/`, { method: 'POST', body: new Uint8Array(package0) });
    if (!delivered.ok) throw new Error(`the device refused package 0: ${delivered.status}`);
  });
  const { proxy } = await proxyWithOmadm({ DM_TRIGGER: 'webhook', DM_TRIGGER_URL: push.url });
  t.after(() => proxy.stop(true));
  await enrolWithServer(proxy, DEV);
  const sim = new SimulatedDm2Device({ devId: DEV, server: dm2Url(proxy), user: USER, secret: SECRET, serverSecret: NOTI_SECRET });
  t.after(() => sim.close());
  assert.equal((await sim.openSession()).result, 'completed', 'the first session publishes the node');
  notifyPort = await sim.listenForNotifications(0);

  const answer = await proxy.request('GET', `/proxy/${DEV}/deviceInfo`, { headers: { Accept: 'application/json', 'X-M2M-RET': '30000' } });
  assert.equal(answer.headers.get('x-m2m-rsc'), '2000', await answer.clone().text());
  assert.equal(((await answer.json()) as { 'm2m:dvi': { dlb?: string } })['m2m:dvi'].dlb, DEV);
  assert.deepEqual(push.failures, []);
  assert.equal(push.pushes.length, 1);
  assert.equal(push.pushes[0].version, '2.0');
  assert.ok(sim.events.some((event) => event.event === 'session-started' && event.alert === 'urn:oma:at:dm:2.0:ServerInitiatedMgmt'), 'a server-initiated session');
});

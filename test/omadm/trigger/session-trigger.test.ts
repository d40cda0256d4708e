import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { PATIENT, managedDmDevice, oneM2M } from '../adapter/dm-adapter-kit.js';
import { notificationGateway } from '../../helpers/notification-gateway.js';

interface Push {
  devId: string;
  sessionId: string;
  uiMode: string;
  package0: string;
}

function gateway(t: { after(fn: () => unknown): void }, status: number, deliver?: (package0: Buffer) => Promise<void>) {
  return notificationGateway<Push>(t, status, deliver);
}

const DEV = 'IMEI:2001';

test('a request for a DM device without a session sends package 0 through the webhook; the device opens a session (Alert 1200) and the request completes', async (t) => {
  let notifyPort = 0;
  const push = await gateway(t, 204, async (package0) => {
    await fetch(`http://127.0.0.1:${notifyPort}/`, { method: 'POST', body: new Uint8Array(package0) });
  });
  const dm = await managedDmDevice(t, DEV, {}, { DM_TRIGGER: 'webhook', DM_TRIGGER_URL: push.url });
  notifyPort = await dm.sim.listenForNotifications(0);

  const answer = await oneM2M(dm.proxy, 'GET', `${dm.node}/battery`, undefined, PATIENT);
  assert.equal(answer.rsc, 2000, answer.dbg);
  assert.equal(answer.body.btl, 87);
  assert.deepEqual(push.failures, []);
  assert.equal(push.pushes.length, 1, 'one notification');
  assert.equal(push.pushes[0].devId, DEV);
  assert.equal(push.pushes[0].uiMode, 'background');
  assert.equal((push.pushes[0] as Push & { version?: string }).version, '1.3');
  const notified = await dm.sim.waitFor((event) => event.event === 'notification');
  assert.equal(notified.digestChecked, true);
  const session = dm.sim.events.find((event) => event.event === 'session-started' && event.alert === 1200);
  assert.equal(session?.sessionId, push.pushes[0].sessionId, 'the session uses the notification\'s session id');
});

test('a webhook that answers non-2xx or cannot be reached answers 6020 at once and withdraws the commands', async (t) => {
  const refusing = await gateway(t, 503);
  const dm = await managedDmDevice(t, DEV, {}, { DM_TRIGGER: 'webhook', DM_TRIGGER_URL: refusing.url });
  const started = Date.now();
  const answer = await oneM2M(dm.proxy, 'GET', `${dm.node}/memory`, undefined, PATIENT);
  assert.equal(answer.rsc, 6020, answer.dbg);
  assert.match(answer.dbg ?? '', /HTTP 503/);
  assert.ok(Date.now() - started < 15_000, 'answered without waiting for the request\'s expiry');
  assert.deepEqual(await dm.omadm.commandQueue.waiting(DEV), []);

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/push`;
  await new Promise((resolve) => closed.close(resolve));
  const unreachable = await managedDmDevice(t, 'IMEI:2002', {}, { DM_TRIGGER: 'webhook', DM_TRIGGER_URL: deadUrl });
  const lost = await oneM2M(unreachable.proxy, 'GET', `${unreachable.node}/memory`, undefined, PATIENT);
  assert.equal(lost.rsc, 6020, lost.dbg);
  assert.match(lost.dbg ?? '', /could not be reached/);
});

test('concurrent requests for one device share one notification', async (t) => {
  let notifyPort = 0;
  const push = await gateway(t, 200, async (package0) => {
    await fetch(`http://127.0.0.1:${notifyPort}/`, { method: 'POST', body: new Uint8Array(package0) });
  });
  const dm = await managedDmDevice(t, DEV, {}, { DM_TRIGGER: 'webhook', DM_TRIGGER_URL: push.url });
  notifyPort = await dm.sim.listenForNotifications(0);
  const answers = await Promise.all(['memory', 'battery', 'deviceInfo'].map((mgmtObj) => oneM2M(dm.proxy, 'GET', `${dm.node}/${mgmtObj}`, undefined, PATIENT)));
  assert.deepEqual(answers.map((answer) => answer.rsc), [2000, 2000, 2000], answers.map((answer) => answer.dbg).join('; '));
  assert.equal(push.pushes.length, 1);
});

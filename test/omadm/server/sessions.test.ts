import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { CREDENTIALS, admin, device, enrol, readNode } from './dm-test-kit.js';

test('an md5 session (both ways) creates the device\'s node with its mgmtObjs; the next session authenticates over the new nonces', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:4711');
  const sim = device(t, proxy, { devId: 'IMEI:4711', version: '1.3' });

  const first = await sim.openSession();
  assert.equal(first.result, 'completed', first.reason);
  assert.ok(sim.events.some((event) => event.event === 'authenticated' && event.status === 212));
  assert.ok(sim.events.some((event) => event.event === 'server-authenticated'), 'the proxy\'s Cred was accepted');
  const { rsc, node, children } = await readNode(proxy, 'IMEI:4711');
  assert.equal(rsc, '2000');
  assert.equal(node?.ni, 'IMEI:4711');
  for (const mgmtObj of ['deviceInfo', 'firmware', 'reboot', 'memory', 'battery']) assert.match(children, new RegExp(mgmtObj), `${mgmtObj} published`);

  const second = await sim.openSession();
  assert.equal(second.result, 'completed', second.reason);
  assert.equal(sim.events.filter((event) => event.event === 'challenged').length, 0, 'no challenge: the nonces of the first session were kept');
});

test('DM 1.2 with basic auth over the DS media type (libdmclient\'s) is answered in that type', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:12', { ...CREDENTIALS, auth: 'basic' });
  const sim = device(t, proxy, { devId: 'IMEI:12', version: '1.2', auth: 'basic', mediaType: 'ds' });
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  assert.equal((await readNode(proxy, 'IMEI:12')).rsc, '2000');
});

test('a device that starts with a stale md5 nonce is challenged once and gets in', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:stale');
  const sim = device(t, proxy, { devId: 'IMEI:stale' });
  (sim as unknown as { auth: { serverNonce?: string } }).auth.serverNonce = Buffer.from('old nonce').toString('base64');
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  assert.equal(sim.events.filter((event) => event.event === 'challenged').length, 1);
});

test('a wrong password, or a DevId without credentials, gets no node and no tree change', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:wrong');
  const wrong = device(t, proxy, { devId: 'IMEI:wrong', secret: 'not-the-secret' });
  assert.equal((await wrong.openSession()).result, 'auth-failed');
  assert.equal((await readNode(proxy, 'IMEI:wrong')).rsc, '4004');

  const unknown = device(t, proxy, { devId: 'IMEI:unknown' });
  assert.equal((await unknown.openSession()).result, 'auth-failed');
  assert.equal((await readNode(proxy, 'IMEI:unknown')).rsc, '4004');
  assert.deepEqual(((await (await admin(proxy, 'GET', '/devices')).json()) as Array<{ devId: string }>).map((d) => d.devId), ['IMEI:wrong']);
});

test('the enrolment rule lets a matching DevId with the fleet secret join and stores its credentials; others stay out', async (t) => {
  const fleetSecret = 'fleet-secret-0123456789';
  const proxy = await startTestProxy({ DM_ENROL_DEVID: 'IMEI:35*', DM_ENROL_SECRET: fleetSecret });
  t.after(() => proxy.stop(true));
  const member = device(t, proxy, { devId: 'IMEI:3500', user: 'fleet-user', secret: fleetSecret, serverSecret: fleetSecret });
  const outcome = await member.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  assert.equal((await readNode(proxy, 'IMEI:3500')).rsc, '2000');
  const stored = (await (await admin(proxy, 'GET', `/devices/${encodeURIComponent('IMEI:3500')}`)).json()) as Record<string, unknown>;
  assert.deepEqual(stored, { devId: 'IMEI:3500', version: '1.3', auth: 'md5', client: { user: 'fleet-user' }, server: { id: 'dm-proxy' }, queued: 0 });
  assert.equal((await member.openSession()).result, 'completed', 'the stored credentials and nonces serve the next session');

  const wrongSecret = device(t, proxy, { devId: 'IMEI:3501', secret: 'another-secret-0123456', serverSecret: fleetSecret });
  assert.equal((await wrongSecret.openSession()).result, 'auth-failed');
  const outsider = device(t, proxy, { devId: 'IMEI:4400', secret: fleetSecret, serverSecret: fleetSecret });
  assert.equal((await outsider.openSession()).result, 'auth-failed');
  for (const name of ['IMEI:3501', 'IMEI:4400']) assert.equal((await readNode(proxy, name)).rsc, '4004');
  assert.equal((await admin(proxy, 'GET', `/devices/${encodeURIComponent('IMEI:3501')}`)).status, 404, 'a failed enrolment stores nothing');
});

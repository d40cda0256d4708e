import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { CREDENTIALS, admin, device, enrol, proxyWithOmadm } from './dm-test-kit.js';

test('/admin/omadm/devices: PUT validates, GET and the list never show secrets, DELETE removes; behind the admin guard', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const path = `/devices/${encodeURIComponent('IMEI:1')}`;

  const created = await admin(proxy, 'PUT', path, CREDENTIALS);
  assert.equal(created.status, 201);
  const view = { devId: 'IMEI:1', version: '1.3', auth: 'md5', client: { user: 'dev' }, server: { id: 'dm-proxy' } };
  assert.deepEqual(await created.json(), view);
  assert.equal((await admin(proxy, 'PUT', path, { ...CREDENTIALS, auth: 'basic' })).status, 200, 'a second PUT replaces');
  const read = await admin(proxy, 'GET', path);
  const text = await read.text();
  assert.deepEqual(JSON.parse(text), { ...view, auth: 'basic', queued: 0 });
  assert.doesNotMatch(text, /secret/);
  const list = await (await admin(proxy, 'GET', '/devices')).text();
  assert.deepEqual(JSON.parse(list), [{ ...view, auth: 'basic' }]);
  assert.doesNotMatch(list, /secret/);

  const hmac = await admin(proxy, 'PUT', path, { ...CREDENTIALS, auth: 'hmac' });
  assert.equal(hmac.status, 200);
  assert.deepEqual(await hmac.json(), { ...view, auth: 'hmac' });
  const bad = await admin(proxy, 'PUT', path, { auth: 'x509', client: { user: '' }, server: 'x', extra: 1 });
  assert.equal(bad.status, 400);
  const problem = (await bad.json()) as { error: string; details: string[] };
  assert.equal(problem.error, 'invalid DM device credentials');
  for (const expected of [/extra is not a field/, /auth must be "basic", "md5" or "hmac"/, /client.user must be a non-empty string/, /client.secret/, /server must be an object/]) {
    assert.ok(problem.details.some((detail) => expected.test(detail)), `${expected} in ${problem.details}`);
  }
  for (const devId of ['IMEI%3A1%00', 'x'.repeat(300)]) {
    const badId = await admin(proxy, 'PUT', `/devices/${devId}`, CREDENTIALS);
    assert.equal(badId.status, 400, devId);
    assert.match(((await badId.json()) as { details: string[] }).details.join(), /DevId must (not contain control characters|be at most 256 characters)/);
  }
  const v2Path = `/devices/${encodeURIComponent('DM2:1')}`;
  const v2 = await admin(proxy, 'PUT', v2Path, { version: '2.0', auth: 'digest', client: { user: 'dev2', secret: 'dm2-secret' } });
  assert.equal(v2.status, 201);
  const v2Text = await v2.text();
  assert.deepEqual(JSON.parse(v2Text), { devId: 'DM2:1', version: '2.0', auth: 'digest', client: { user: 'dev2' } });
  assert.doesNotMatch(v2Text + (await (await admin(proxy, 'GET', '/devices')).text()), /secret/);
  // The optional server part of a DM 2.0 device signs its package 0: its id is shown, its secret never.
  const v2Server = await admin(proxy, 'PUT', v2Path, { version: '2.0', auth: 'digest', client: { user: 'dev2', secret: 'dm2-secret' }, server: { id: 'dm-proxy', secret: 'noti-secret' } });
  assert.equal(v2Server.status, 200);
  assert.deepEqual(await v2Server.json(), { devId: 'DM2:1', version: '2.0', auth: 'digest', client: { user: 'dev2' }, server: { id: 'dm-proxy' } });
  assert.doesNotMatch(await (await admin(proxy, 'GET', v2Path)).text(), /secret/);
  const v2Bad = await admin(proxy, 'PUT', v2Path, { version: '2.0', auth: 'md5', client: { user: 'u', secret: 's' }, server: { id: 'x', secret: 'y', nonce: 'z' } });
  assert.equal(v2Bad.status, 400);
  const v2Details = ((await v2Bad.json()) as { details: string[] }).details.join('|');
  assert.match(v2Details, /auth must be "basic" or "digest" for version 2.0/);
  assert.match(v2Details, /server.nonce is not a field/);
  const badVersion = await admin(proxy, 'PUT', v2Path, { version: '3', auth: 'basic', client: { user: 'u', secret: 's' } });
  assert.match(((await badVersion.json()) as { details: string[] }).details.join(), /version must be "1.3"/);
  const notJson = await admin(proxy, 'PUT', path, '{"auth":');
  assert.equal(notJson.status, 400);
  assert.match(((await notJson.json()) as { error: string }).error, /not valid JSON/);

  assert.equal((await fetch(proxy.url(`/admin/omadm${path}`))).status, 403, 'no originator: refused by the admin guard');
  assert.equal((await admin(proxy, 'DELETE', path)).status, 204);
  assert.equal((await admin(proxy, 'GET', path)).status, 404);
  assert.equal((await admin(proxy, 'DELETE', path)).status, 404);
});

test('GET /admin/omadm/devices/<DevId> counts the commands waiting for the device\'s next session', async (t) => {
  const { proxy, omadm } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  const devId = 'IMEI:queued';
  await enrol(proxy, devId);
  const queued = async (): Promise<unknown> => ((await (await admin(proxy, 'GET', `/devices/${encodeURIComponent(devId)}`)).json()) as { queued: unknown }).queued;
  assert.equal(await queued(), 0);
  for (const leaf of ['Memory/Avail', 'Memory/Total', 'Battery/Level']) {
    await omadm.commandQueue.enqueue(devId, { kind: 'Get', cmdId: '', items: [{ target: { locUri: `./DiagMon/${leaf}` } }] });
  }
  assert.equal(await queued(), 3);
  assert.equal((await device(t, proxy, { devId }).openSession()).result, 'completed');
  assert.equal(await queued(), 0, 'the session took them');
});

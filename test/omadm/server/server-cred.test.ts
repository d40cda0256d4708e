import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { dmUrl, enrol, message, post, statusOf } from './dm-test-kit.js';

const PACKAGE1 = [{ kind: 'Alert' as const, cmdId: '1', data: 1201, items: [] }];

test('the server\'s Cred goes only to a device that authenticated, never with a challenge or a refusal', async (t) => {
  const proxy = await startTestProxy({ DM_ENROL_DEVID: 'IMEI:fleet-*', DM_ENROL_SECRET: 'a-fleet-secret-long-enough-1234' });
  t.after(() => proxy.stop(true));
  const url = dmUrl(proxy);
  await enrol(proxy, 'IMEI:md5');
  await enrol(proxy, 'IMEI:basic', { auth: 'basic', client: { user: 'dev', secret: 'device-secret' }, server: { id: 'dm-proxy', secret: 'server-secret' } });

  for (const devId of ['IMEI:md5', 'IMEI:basic', 'IMEI:fleet-1']) {
    const bare = message(devId, 1, PACKAGE1, true, false, url);
    bare.header.sessionId = `${devId}-a`;
    const noCred = await post(url, bare);
    assert.equal(statusOf(noCred, '0')?.data, 407, devId);
    assert.equal(noCred.header.cred, undefined, `${devId}: no server Cred with a challenge`);
    const wrong = message(devId, 1, PACKAGE1, true, false, url);
    wrong.header.sessionId = `${devId}-b`;
    wrong.header.cred = { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: Buffer.from('dev:wrong').toString('base64') };
    const refused = await post(url, wrong);
    assert.equal(statusOf(refused, '0')?.data, 401, devId);
    assert.equal(refused.header.cred, undefined, `${devId}: no server Cred with a failure`);
  }
  await enrol(proxy, 'IMEI:md5-ok');
  const good = await post(url, message('IMEI:md5-ok', 1, PACKAGE1, true, true, url));
  assert.equal(statusOf(good, '0')?.data, 212);
  assert.ok(good.header.cred, 'the authenticated device gets the server\'s Cred');
});

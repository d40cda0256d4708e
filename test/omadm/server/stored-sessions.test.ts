import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { md5CredentialData } from '../../../src/omadm/v13/auth/index.js';
import type { DmSessionRecord } from '../../../src/omadm/v13/session/session-record.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { CREDENTIALS, dmUrl, enrol, message, post, statusOf } from './dm-test-kit.js';

test('challenged sessions leave nothing in the store; the device has one stored session, a new one replaces the old', async (t) => {
  const proxy = await startTestProxy({ DM_ENROL_DEVID: 'IMEI:fleet-*', DM_ENROL_SECRET: 'a-fleet-secret-long-enough-1234' });
  t.after(() => rmSync(proxy.dataDir, { recursive: true, force: true }));
  await enrol(proxy, 'IMEI:one');
  const url = dmUrl(proxy);
  const send = (devId: string, sessionId: string, nonce: string | undefined | false) => {
    const sent = message(devId, 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], false, false, url);
    sent.header.sessionId = sessionId;
    if (nonce !== false) sent.header.cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: md5CredentialData(CREDENTIALS.client.user, CREDENTIALS.client.secret, nonce) };
    return post(url, sent);
  };
  for (let i = 0; i < 3; i++) assert.equal(statusOf(await send('IMEI:one', `bare-${i}`, false), '0')?.data, 407);
  for (let i = 0; i < 3; i++) assert.equal(statusOf(await send(`IMEI:fleet-${i}`, 'x', false), '0')?.data, 407);

  const challenge = statusOf(await send('IMEI:one', 'A', false), '0');
  const first = statusOf(await send('IMEI:one', 'A', challenge?.chal?.meta.nextNonce), '0');
  assert.equal(first?.data, 212, 'the retry finds the challenged session in memory');
  const second = statusOf(await send('IMEI:one', 'B', first?.chal?.meta.nextNonce), '0');
  assert.equal(second?.data, 212);
  await proxy.stop();

  const store = openSqliteStore(proxy.dataDir);
  t.after(() => store.close());
  const records = await store.records<DmSessionRecord>('omadm.session').list();
  assert.deepEqual(records.map(({ value }) => [value.devId, value.sessionId]), [['IMEI:one', 'B']]);
});

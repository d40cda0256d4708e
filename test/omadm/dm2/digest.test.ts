import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyWithOmadm, readNode } from '../server/dm-test-kit.js';
import { DigestClient, INITIATION, challengeParams, commandsOf, dm2Url, enrol2, package1, package3 } from './dm2-test-kit.js';

test('DM 2.0 with Digest: SHA-256 and MD5 challenges with qop=auth, fresh nonces, the nonce reused with a growing nc, a replayed nc and a wrong secret refused', async (t) => {
  const { proxy } = await proxyWithOmadm();
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'DM2-digest', 'digest');
  const url = dm2Url(proxy);

  const challenged = await package1(url, 'DM2-digest', INITIATION);
  assert.equal(challenged.status, 401);
  const values = challenged.headers['www-authenticate'] as string[];
  assert.deepEqual(values.map((value) => challengeParams(value).algorithm), ['SHA-256', 'MD5'], 'SHA-256 preferred, MD5 offered');
  for (const value of values) assert.equal(challengeParams(value).qop, 'auth');
  const again = await package1(url, 'DM2-digest', INITIATION);
  assert.notEqual(challengeParams((again.headers['www-authenticate'] as string[])[0]).nonce, challengeParams(values[0]).nonce, 'a fresh nonce each time');

  const wrong = DigestClient.fromHeader(values, 'SHA-256', 'dev2', 'wrong-secret');
  assert.equal((await package1(url, 'DM2-digest', INITIATION, wrong.authorization('POST', '/dm2'))).status, 401);
  assert.equal((await readNode(proxy, 'DM2-digest')).rsc, '4004', 'nothing published for a wrong secret');

  const client = DigestClient.fromHeader(values, 'SHA-256');
  assert.deepEqual(commandsOf(await package1(url, 'DM2-digest', INITIATION, client.authorization('POST', '/dm2'))), [['END']]);
  assert.equal((await readNode(proxy, 'DM2-digest')).rsc, '2000');
  assert.deepEqual(commandsOf(await package1(url, 'DM2-digest', INITIATION, client.authorization('POST', '/dm2'))), [['END']], 'nc 2 on the same nonce');
  assert.equal((await package1(url, 'DM2-digest', INITIATION, client.authorization('POST', '/dm2', 2))).status, 401, 'nc 2 again is a replay');
  assert.equal((await package1(url, 'DM2-digest', INITIATION, client.authorization('POST', '/other'))).status, 401, 'the uri must be the request-target');

  const md5 = DigestClient.fromHeader(values, 'MD5');
  assert.deepEqual(commandsOf(await package1(url, 'DM2-digest', INITIATION, md5.authorization('POST', '/dm2'))), [['END']]);
  assert.equal((await package1(url, 'DM2-digest', INITIATION, `Basic ${Buffer.from('dev2:dm2-device-secret').toString('base64')}`)).status, 401, 'Basic is not accepted for a digest device');
  const forged = new DigestClient({ ...challengeParams(values[0]), nonce: 'A'.repeat(54) });
  assert.equal((await package1(url, 'DM2-digest', INITIATION, forged.authorization('POST', '/dm2'))).status, 401, 'a nonce the proxy did not issue');
});

test('DM 2.0 Digest: across a restart, a nonce past DM2_NONCE_TTL_S gets a new challenge with stale=true (the secret was right), and the package is then accepted', async (t) => {
  let { proxy } = await proxyWithOmadm({ DM2_NONCE_TTL_S: '1' });
  t.after(() => proxy.stop(true));
  await enrol2(proxy, 'DM2-stale', 'digest');
  const url = dm2Url(proxy);
  const client = DigestClient.fromHeader((await package1(url, 'DM2-stale', INITIATION)).headers['www-authenticate']);
  assert.equal((await package1(url, 'DM2-stale', INITIATION, client.authorization('POST', '/dm2'))).status, 200);

  // Restart: the nonce is still recognised (its key is in the store), then it goes stale.
  const { dataDir } = proxy;
  await proxy.stop();
  ({ proxy } = await proxyWithOmadm({ DM2_NONCE_TTL_S: '1', DM_PORT: new URL(url).port }, dataDir));
  let stale: Awaited<ReturnType<typeof package1>> | undefined;
  while (stale === undefined) {
    const answer = await package1(url, 'DM2-stale', INITIATION, client.authorization('POST', '/dm2'));
    if (answer.status !== 200) stale = answer;
  }
  assert.equal(stale.status, 401);
  const values = stale.headers['www-authenticate'] as string[];
  assert.equal(challengeParams(values[0]).stale, 'true', 'stale=true: the secret was right, only the nonce is old');
  const renewed = DigestClient.fromHeader(values);
  assert.deepEqual(commandsOf(await package1(url, 'DM2-stale', INITIATION, renewed.authorization('POST', '/dm2'))), [['END']]);
  assert.equal((await package3(url, 'DM2-stale', { Status: [] }, renewed.authorization('POST', '/dm2'))).status, 400, 'authenticated, but no session after END');
});

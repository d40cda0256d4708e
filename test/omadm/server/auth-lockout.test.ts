import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md5CredentialData } from '../../../src/omadm/v13/auth/index.js';
import { AuthFailureLimiter } from '../../../src/omadm/common/auth-failures.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { CREDENTIALS, dmUrl, enrol, message, post, statusOf } from './dm-test-kit.js';

test('wrong guesses over ever new SessionIDs: the device\'s nonce stays put, and after 5 the DevId is locked out, even with the right Cred', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await enrol(proxy, 'IMEI:guessed');
  const url = dmUrl(proxy);
  const attempt = async (sessionId: string, secret: string, nonce: string | undefined) => {
    const sent = message('IMEI:guessed', 1, [{ kind: 'Alert', cmdId: '1', data: 1201, items: [] }], true, false, url);
    sent.header.sessionId = sessionId;
    sent.header.cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: md5CredentialData(CREDENTIALS.client.user, secret, nonce) };
    return statusOf(await post(url, sent), '0');
  };
  const nonces = new Set<string | undefined>();
  for (let i = 0; i < 5; i++) {
    const status = await attempt(`guess-${i}`, `guess-${i}`, undefined);
    assert.equal(status?.data, 401);
    nonces.add(status?.chal?.meta.nextNonce);
  }
  assert.equal(nonces.size, 1, 'every challenge repeats the nonce the device holds');
  const [nonce] = nonces;
  assert.ok(nonce);
  const locked = await attempt('right', CREDENTIALS.client.secret, nonce);
  assert.equal(locked?.data, 401, 'locked out');
  assert.equal(locked?.chal, undefined, 'without a Chal');
});

test('the failure count: locks after maxFailures in the window, unlocks after lockoutMs, forgets on success, stays bounded', () => {
  const limiter = new AuthFailureLimiter({ maxFailures: 3, windowMs: 1000, lockoutMs: 5000, maxDevIds: 2 });
  limiter.failed('a', 0);
  limiter.failed('a', 10);
  assert.equal(limiter.lockedOut('a', 20), false);
  limiter.failed('a', 2000);
  assert.equal(limiter.lockedOut('a', 2000), false, 'the window moved on');
  limiter.failed('a', 2001);
  limiter.failed('a', 2002);
  assert.equal(limiter.lockedOut('a', 2003), true);
  assert.equal(limiter.lockedOut('a', 7003), false, 'the lockout ends');
  limiter.succeeded('a');
  for (const devId of ['b', 'c', 'd']) for (let i = 0; i < 3; i++) limiter.failed(devId, 8000);
  assert.equal(limiter.lockedOut('b', 8001), false, 'the oldest of too many DevIds is forgotten');
  assert.equal(limiter.lockedOut('d', 8001), true);
});

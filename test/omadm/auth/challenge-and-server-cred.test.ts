import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NONCE_BYTES, challengeFor, freshNonce, md5CredentialData, serverAuthOutcome, serverCredFor, serverHmacKey } from '../../../src/omadm/v13/auth/index.js';
import type { Status } from '../../../src/omadm/v13/codec/index.js';
import { device } from './fixtures.js';

test('freshNonce: 16 random bytes in base64 ending in == (libdmclient misreads a single =); never the same twice', () => {
  const nonces = new Set(Array.from({ length: 200 }, () => freshNonce()));
  assert.equal(nonces.size, 200);
  for (const nonce of nonces) {
    assert.equal(Buffer.from(nonce, 'base64').length, NONCE_BYTES);
    assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  }
  assert.equal(freshNonce((size) => Buffer.alloc(size, 1)), Buffer.alloc(16, 1).toString('base64'));
});

test('challengeFor: Type per auth, Format b64, NextNonce for md5 and hmac', () => {
  assert.deepEqual(challengeFor('md5', 'Tk9OQ0U='), { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: 'Tk9OQ0U=' } });
  assert.deepEqual(challengeFor('hmac', 'Tk9OQ0U='), { meta: { type: 'syncml:auth-MAC', format: 'b64', nextNonce: 'Tk9OQ0U=' } });
  assert.deepEqual(challengeFor('basic', 'Tk9OQ0U='), { meta: { type: 'syncml:auth-basic', format: 'b64' } });
});

test('serverCredFor: the server id and secret, md5 over the nonce the device gave (empty before any)', () => {
  const nonce = 'AAECAwQFBgcICQoLDA0ODw==';
  assert.deepEqual(serverCredFor(device('md5', { toServer: nonce, toClient: 'b3RoZXI=' })), {
    meta: { type: 'syncml:auth-md5', format: 'b64' }, data: md5CredentialData('proxy', 'srvsecret', nonce),
  });
  assert.equal(serverCredFor(device('md5'))?.data, md5CredentialData('proxy', 'srvsecret', ''));
  assert.deepEqual(serverCredFor(device('basic')), { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: Buffer.from('proxy:srvsecret').toString('base64') });
  assert.equal(serverCredFor(device('hmac')), undefined, 'auth-MAC never travels in a Cred');
});

test('serverHmacKey: the server id and secret with the nonce the device gave', () => {
  assert.deepEqual(serverHmacKey(device('hmac', { toServer: 'Tk9OQ0U=', toClient: 'b3RoZXI=' })), { user: 'proxy', secret: 'srvsecret', nonce: 'Tk9OQ0U=' });
  assert.deepEqual(serverHmacKey(device('hmac')), { user: 'proxy', secret: 'srvsecret', nonce: undefined });
});

const headerStatus = (data: number, chal?: Status['chal']): Status => ({
  kind: 'Status', cmdId: '1', msgRef: '1', cmdRef: '0', cmd: 'SyncHdr', targetRefs: [], sourceRefs: [], items: [], data, ...(chal ? { chal } : {}),
});

test('serverAuthOutcome reads the device\'s Status for the proxy\'s header, with any NextNonce to store', () => {
  const chal = (type: string) => ({ meta: { type, format: 'b64', nextNonce: 'Y2xpZW50' } });
  assert.deepEqual(serverAuthOutcome(headerStatus(212, chal('syncml:auth-md5'))), { verdict: 'session', nonceToServer: 'Y2xpZW50' });
  assert.deepEqual(serverAuthOutcome(headerStatus(200)), { verdict: 'message' });
  assert.deepEqual(serverAuthOutcome(headerStatus(401, chal('syncml:auth-md5'))), { verdict: 'challenged', nonceToServer: 'Y2xpZW50', requested: 'md5' });
  assert.deepEqual(serverAuthOutcome(headerStatus(407, chal('syncml:auth-basic'))), { verdict: 'challenged', nonceToServer: 'Y2xpZW50', requested: 'basic' });
  assert.deepEqual(serverAuthOutcome(headerStatus(401)), { verdict: 'refused' });
  assert.deepEqual(serverAuthOutcome(headerStatus(401, chal('syncml:auth-MAC'))), { verdict: 'challenged', nonceToServer: 'Y2xpZW50', requested: 'hmac' });
  assert.deepEqual(serverAuthOutcome(headerStatus(401, chal('syncml:auth-X509'))), { verdict: 'refused', nonceToServer: 'Y2xpZW50' });
  assert.deepEqual(serverAuthOutcome(headerStatus(0)), { verdict: 'refused' }, 'libdmclient: 0 to a header without server Cred');
});

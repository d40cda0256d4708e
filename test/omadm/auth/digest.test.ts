import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basicCredentialData, md5CredentialData, nonceBytes } from '../../../src/omadm/v13/auth/index.js';

// Known answers computed independently (Python hashlib/base64): user dmuser, secret dmsecret, nonce bytes 0x00..0x0f.
const NONCE = 'AAECAwQFBgcICQoLDA0ODw==';

test('basic: base64 of user:secret', () => {
  assert.equal(basicCredentialData('dmuser', 'dmsecret'), 'ZG11c2VyOmRtc2VjcmV0');
});

test('md5: B64(H(B64(H(user:secret)) ":" nonce)) over the base64-decoded nonce, not its text', () => {
  assert.equal(md5CredentialData('dmuser', 'dmsecret', NONCE), 'rbEj12S1qtWBFy3vvDQbRQ==');
  assert.notEqual(md5CredentialData('dmuser', 'dmsecret', NONCE), 'UAYZ4B3S/7efb6Kx9451Sg==', 'the nonce text hashed as is would give this');
});

test('md5 without a nonce yet hashes the empty nonce (a client\'s first Cred)', () => {
  assert.equal(md5CredentialData('dmuser', 'dmsecret', undefined), 'vRjVddV9Zj/IKabugWNRQA==');
  assert.equal(md5CredentialData('dmuser', 'dmsecret', ''), 'vRjVddV9Zj/IKabugWNRQA==');
});

test('user and secret are hashed as UTF-8', () => {
  assert.equal(md5CredentialData('jürgen', 'pässwörd', NONCE), 'C1anV1JbVuHBrcLBaU/v9Q==');
});

test('nonceBytes decodes NextNonce, surrounding whitespace ignored', () => {
  assert.deepEqual([...nonceBytes(` ${NONCE}\n`)], [...Array(16).keys()]);
  assert.equal(nonceBytes(undefined).length, 0);
});

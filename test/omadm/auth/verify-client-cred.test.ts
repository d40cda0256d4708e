import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basicCredentialData, md5CredentialData, verifyClientCred } from '../../../src/omadm/v13/auth/index.js';
import { cred, device } from './fixtures.js';

const NONCE = 'AAECAwQFBgcICQoLDA0ODw==';
const md5Data = (secret = 'dmsecret', nonce = NONCE) => md5CredentialData('dmuser', secret, nonce);

test('basic: the right user:secret is accepted, a wrong secret or user is invalid, no Cred is missing', () => {
  const basic = device('basic');
  assert.equal(verifyClientCred(cred('syncml:auth-basic', basicCredentialData('dmuser', 'dmsecret')), basic), 'accepted');
  assert.equal(verifyClientCred(cred('syncml:auth-basic', basicCredentialData('dmuser', 'dmsecreT')), basic), 'invalid');
  assert.equal(verifyClientCred(cred('syncml:auth-basic', basicCredentialData('other', 'dmsecret')), basic), 'invalid');
  assert.equal(verifyClientCred(undefined, basic), 'missing');
});

test('md5: accepted only over the nonce the proxy last gave the device', () => {
  const md5 = device('md5', { toClient: NONCE });
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data()), md5), 'accepted');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data('dmsecret', '')), md5), 'invalid', 'a stale (empty) nonce');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data('wrong')), md5), 'invalid');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data('dmsecret', '')), device('md5')), 'accepted', 'no nonce given yet: the empty one');
});

test('the device\'s own type only: basic to an md5 device (and the reverse) is invalid, however right the secret', () => {
  assert.equal(verifyClientCred(cred('syncml:auth-basic', basicCredentialData('dmuser', 'dmsecret')), device('md5')), 'invalid');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data()), device('basic', { toClient: NONCE })), 'invalid');
  assert.equal(verifyClientCred(cred('syncml:auth-MAC', md5Data()), device('md5', { toClient: NONCE })), 'invalid');
  assert.equal(verifyClientCred(cred('', md5Data()), device('md5', { toClient: NONCE })), 'invalid');
});

test('Meta Type case-insensitively, Format b64 or absent; another Format is invalid', () => {
  const md5 = device('md5', { toClient: NONCE });
  assert.equal(verifyClientCred(cred('SYNCML:AUTH-MD5', md5Data(), 'B64'), md5), 'accepted');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data(), undefined), md5), 'accepted');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5Data(), 'chr'), md5), 'invalid');
});

test('Data is compared as bytes: wrapped base64 matches, garbage and empty Data are invalid without throwing', () => {
  const basic = device('basic');
  const data = basicCredentialData('dmuser', 'dmsecret');
  assert.equal(verifyClientCred(cred('syncml:auth-basic', `${data.slice(0, 8)}\r\n${data.slice(8)}\n`), basic), 'accepted');
  for (const junk of ['', '====', '\u0000\u0001', 'x'.repeat(100_000)]) {
    assert.equal(verifyClientCred(cred('syncml:auth-basic', junk), basic), 'invalid');
  }
});

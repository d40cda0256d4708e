import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  MAX_CHALLENGES_PER_SESSION, NEW_SESSION_AUTH, SYNCML_AUTH_TYPES, authTypeOf, decideClientAuth, hmacData, hmacHeaderFor, md5CredentialData, parseHmacHeader,
  verifyClientCred, verifyMac,
} from '../../../src/omadm/v13/auth/index.js';
import { cred, device, header } from './fixtures.js';

const NONCE = 'AAECAwQFBgcICQoLDA0ODw==';
const NEXT = 'ZnJlc2gtbm9uY2UtMTYtYg==';
const BODY = Buffer.from('<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/></SyncML>');

/** The mac of OMA DM Security 5.1.4.2 built here from node:crypto pieces, not from the code under test. */
function macByHand(user: string, secret: string, nonce: Buffer, body: Buffer): string {
  const h = (bytes: Buffer | string) => createHash('md5').update(bytes).digest();
  const key = h(`${user}:${secret}`).toString('base64');
  return h(Buffer.concat([Buffer.from(`${key}:`), nonce, Buffer.from(`:${h(body).toString('base64')}`)])).toString('base64');
}

test('hmac mac: B64(H(B64(H(user:secret)) ":" nonce ":" B64(H(body)))) over the base64-decoded nonce and the exact body', () => {
  const mac = hmacData('dmuser', 'dmsecret', NONCE, BODY);
  assert.equal(mac, macByHand('dmuser', 'dmsecret', Buffer.from(NONCE, 'base64'), BODY));
  // Known answer computed independently (Python hashlib/base64).
  assert.equal(mac, '41P7ceQ7tZagM4OPwk5E6w==');
  assert.notEqual(mac, macByHand('dmuser', 'dmsecret', Buffer.from(NONCE), BODY), 'the nonce text hashed as is would give this');
});

test('hmac mac without a nonce yet hashes the empty nonce; one byte of the body more changes it; UTF-8 credentials', () => {
  assert.equal(hmacData('dmuser', 'dmsecret', undefined, BODY), 'rB5a5vmoChfrxgA+CpzY+Q==');
  assert.equal(hmacData('dmuser', 'dmsecret', '', BODY), macByHand('dmuser', 'dmsecret', Buffer.alloc(0), BODY));
  assert.notEqual(hmacData('dmuser', 'dmsecret', NONCE, Buffer.concat([BODY, Buffer.from(' ')])), hmacData('dmuser', 'dmsecret', NONCE, BODY));
  assert.equal(hmacData('jürgen', 'pässwörd', NONCE, BODY), macByHand('jürgen', 'pässwörd', Buffer.from(NONCE, 'base64'), BODY));
});

test('x-syncml-hmac header: written as algorithm=MD5, username="<id>", mac=<b64>; read in any order, algorithm optional', () => {
  const written = hmacHeaderFor({ user: 'dm "proxy"', secret: 's', nonce: NONCE }, BODY);
  assert.equal(written, `algorithm=MD5, username="dm \\"proxy\\"", mac=${hmacData('dm "proxy"', 's', NONCE, BODY)}`);
  assert.deepEqual(parseHmacHeader(written), { username: 'dm "proxy"', mac: hmacData('dm "proxy"', 's', NONCE, BODY) });
  assert.deepEqual(parseHmacHeader('mac=NTI2OTJh+/==,username="Robert Jordan"'), { username: 'Robert Jordan', mac: 'NTI2OTJh+/==' });
  assert.deepEqual(parseHmacHeader('algorithm=md5, username="a,b", mac=x'), { username: 'a,b', mac: 'x' });
  for (const bad of [
    '', 'algorithm=SHA1, username="u", mac=x', 'username="u"', 'mac=x', 'username="u", mac=', 'username="u", mac=x, mac=y',
    'username="u", mac=x, username="v"', 'username="u" mac=x', 'username="u, mac=x', `username="${'u'.repeat(2000)}", mac=x`,
  ]) {
    assert.equal(parseHmacHeader(bad), undefined, bad);
  }
  assert.equal(parseHmacHeader(undefined), undefined);
});

test('verifyMac: the right mac over the exact body is accepted; no header, another username, a wrong secret or nonce, one byte changed are not', () => {
  const key = { user: 'dmuser', secret: 'dmsecret', nonce: NONCE };
  const signed = { body: BODY, hmac: hmacHeaderFor(key, BODY) };
  assert.equal(verifyMac(signed, key), 'accepted');
  assert.equal(verifyMac({ body: BODY }, key), 'missing');
  assert.equal(verifyMac(undefined, key), 'missing');
  assert.equal(verifyMac({ body: BODY, hmac: hmacHeaderFor({ ...key, user: 'other' }, BODY) }, key), 'invalid');
  assert.equal(verifyMac({ body: BODY, hmac: hmacHeaderFor({ ...key, secret: 'wrong' }, BODY) }, key), 'invalid');
  assert.equal(verifyMac({ body: BODY, hmac: hmacHeaderFor({ ...key, nonce: NEXT }, BODY) }, key), 'invalid');
  const changed = Buffer.from(BODY);
  changed[10] ^= 1;
  assert.equal(verifyMac({ body: changed, hmac: signed.hmac }, key), 'invalid');
  assert.equal(verifyMac({ body: BODY, hmac: 'garbage' }, key), 'invalid');
});

test('auth-MAC: the Chal type; read case-insensitively; never accepted in a Cred', () => {
  assert.equal(SYNCML_AUTH_TYPES.hmac, 'syncml:auth-MAC');
  assert.equal(authTypeOf('SYNCML:AUTH-mac'), 'hmac');
  const hmacDevice = device('hmac', { toClient: NONCE });
  assert.equal(verifyClientCred(cred('syncml:auth-MAC', hmacData('dmuser', 'dmsecret', NONCE, BODY)), hmacDevice), 'invalid');
  assert.equal(verifyClientCred(cred('syncml:auth-md5', md5CredentialData('dmuser', 'dmsecret', NONCE)), hmacDevice), 'invalid');
});

const signedBy = (secret: string, nonce: string | undefined, body = BODY) => ({ body, hmac: hmacHeaderFor({ user: 'dmuser', secret, nonce }, body) });
const macChal = (nextNonce: string) => ({ meta: { type: 'syncml:auth-MAC', format: 'b64', nextNonce } });

test('hmac, right mac: 212 then 200 on every later message, each with a fresh NextNonce (to store) for the next mac; a Cred is ignored', () => {
  const hmacDevice = device('hmac', { toClient: NONCE });
  const md5Cred = cred('syncml:auth-md5', md5CredentialData('dmuser', 'wrong', NONCE));
  const first = decideClientAuth({ header: header(md5Cred), signed: signedBy('dmsecret', NONCE), device: hmacDevice, session: NEW_SESSION_AUTH, nextNonce: NEXT });
  assert.deepEqual(first, { kind: 'authenticated', status: 212, chal: macChal(NEXT), nonceToClient: NEXT, session: { authenticated: true, challenges: 0 } });
  const later = decideClientAuth({ header: header(), signed: signedBy('dmsecret', NEXT), device: device('hmac', { toClient: NEXT }), session: first.session, nextNonce: 'bGF0ZXItbm9uY2UtMTYtYg==' });
  assert.deepEqual(later, { kind: 'authenticated', status: 200, chal: macChal('bGF0ZXItbm9uY2UtMTYtYg=='), nonceToClient: 'bGF0ZXItbm9uY2UtMTYtYg==', session: first.session });
});

test('hmac: every message is checked, also after 212; no header: 407, wrong mac or a Cred only: 401, Chal auth-MAC over the current nonce', () => {
  const hmacDevice = device('hmac', { toClient: NONCE });
  const challenge = (status: number, authenticated: boolean) => ({ kind: 'challenge', status, chal: macChal(NONCE), session: { authenticated, challenges: 1 } });
  const credOnly = header(cred('syncml:auth-md5', md5CredentialData('dmuser', 'dmsecret', NONCE)));
  assert.deepEqual(decideClientAuth({ header: credOnly, signed: { body: BODY }, device: hmacDevice, session: NEW_SESSION_AUTH, nextNonce: NEXT }), challenge(407, false));
  assert.deepEqual(decideClientAuth({ header: header(), signed: signedBy('wrong', NONCE), device: hmacDevice, session: NEW_SESSION_AUTH, nextNonce: NEXT }), challenge(401, false));
  const inSession = { authenticated: true, challenges: 0 };
  assert.deepEqual(decideClientAuth({ header: header(), signed: signedBy('dmsecret', NEXT), device: hmacDevice, session: inSession, nextNonce: NEXT }), challenge(401, true), 'a stale nonce');
});

test('hmac, no nonce stored yet: the challenge gives a fresh one to store; too many failures: refused without Chal', () => {
  const fresh = decideClientAuth({ header: header(), signed: signedBy('wrong', undefined), device: device('hmac'), session: NEW_SESSION_AUTH, nextNonce: NEXT });
  assert.deepEqual(fresh, { kind: 'challenge', status: 401, chal: macChal(NEXT), nonceToClient: NEXT, session: { authenticated: false, challenges: 1 } });
  const spent = { authenticated: false, challenges: MAX_CHALLENGES_PER_SESSION };
  assert.deepEqual(decideClientAuth({ header: header(), signed: { body: BODY }, device: device('hmac'), session: spent, nextNonce: NEXT }), {
    kind: 'refuse', status: 407, reason: 'too-many-failures', session: spent,
  });
});

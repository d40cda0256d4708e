import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_CHALLENGES_PER_SESSION, NEW_SESSION_AUTH, basicCredentialData, decideClientAuth, md5CredentialData, type ClientAuthDecision,
} from '../../../src/omadm/v13/auth/index.js';
import type { DmDeviceRecord } from '../../../src/store/dm-credential-store.js';
import { cred, device, header } from './fixtures.js';

const OLD = 'AAECAwQFBgcICQoLDA0ODw==';
const NEXT = 'ZnJlc2gtbm9uY2UtMTYtYg==';
const md5Cred = (nonce: string | undefined, secret = 'dmsecret') => cred('syncml:auth-md5', md5CredentialData('dmuser', secret, nonce));

test('md5, right Cred: 212 with a Chal carrying the NextNonce for the next session, to store as toClient', () => {
  const decision = decideClientAuth({ header: header(md5Cred(OLD)), device: device('md5', { toClient: OLD }), session: NEW_SESSION_AUTH, nextNonce: NEXT });
  assert.deepEqual(decision, {
    kind: 'authenticated', status: 212,
    chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: NEXT } }, nonceToClient: NEXT,
    session: { authenticated: true, challenges: 0 },
  });
});

test('basic, right Cred: 212 without Chal or nonce', () => {
  const decision = decideClientAuth({
    header: header(cred('syncml:auth-basic', basicCredentialData('dmuser', 'dmsecret'))), device: device('basic'), session: NEW_SESSION_AUTH, nextNonce: NEXT,
  });
  assert.deepEqual(decision, { kind: 'authenticated', status: 212, session: { authenticated: true, challenges: 0 } });
});

test('after 212 the session\'s later messages get 200 with or without Cred', () => {
  const session = { authenticated: true, challenges: 1 };
  for (const c of [undefined, md5Cred(OLD, 'wrong')]) {
    assert.deepEqual(decideClientAuth({ header: header(c), device: device('md5'), session, nextNonce: NEXT }), { kind: 'authenticated', status: 200, session });
  }
});

test('no Cred: 407 with an md5 Chal over the device\'s current nonce (none stored: a fresh one); a wrong or stale Cred: 401 likewise; basic Chal has no nonce', () => {
  const md5Device = device('md5', { toClient: OLD });
  const expectChallenge = (decision: ClientAuthDecision, status: number) => assert.deepEqual(decision, {
    kind: 'challenge', status, chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: OLD } }, session: { authenticated: false, challenges: 1 },
  });
  expectChallenge(decideClientAuth({ header: header(), device: md5Device, session: NEW_SESSION_AUTH, nextNonce: NEXT }), 407);
  expectChallenge(decideClientAuth({ header: header(md5Cred(OLD, 'wrong')), device: md5Device, session: NEW_SESSION_AUTH, nextNonce: NEXT }), 401);
  expectChallenge(decideClientAuth({ header: header(md5Cred(undefined)), device: md5Device, session: NEW_SESSION_AUTH, nextNonce: NEXT }), 401);
  assert.deepEqual(decideClientAuth({ header: header(), device: device('md5'), session: NEW_SESSION_AUTH, nextNonce: NEXT }), {
    kind: 'challenge', status: 407, chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: NEXT } }, nonceToClient: NEXT,
    session: { authenticated: false, challenges: 1 },
  });
  assert.deepEqual(decideClientAuth({ header: header(), device: device('basic'), session: NEW_SESSION_AUTH, nextNonce: NEXT }), {
    kind: 'challenge', status: 407, chal: { meta: { type: 'syncml:auth-basic', format: 'b64' } }, session: { authenticated: false, challenges: 1 },
  });
});

test('a stale nonce recovers: the retry over the challenge\'s nonce is accepted', () => {
  const stored: DmDeviceRecord = device('md5', { toClient: OLD });
  const first = decideClientAuth({ header: header(md5Cred(undefined)), device: stored, session: NEW_SESSION_AUTH, nextNonce: NEXT });
  assert.equal(first.kind, 'challenge');
  const retry = decideClientAuth({ header: header(md5Cred(first.kind === 'challenge' ? first.chal.meta.nextNonce : undefined)), device: stored, session: first.session, nextNonce: NEXT });
  assert.equal(retry.kind, 'authenticated');
  assert.equal(retry.status, 212);
});

test(`after ${MAX_CHALLENGES_PER_SESSION} challenges in a session the next failure is refused without Chal`, () => {
  const session = { authenticated: false, challenges: MAX_CHALLENGES_PER_SESSION };
  assert.deepEqual(decideClientAuth({ header: header(md5Cred(OLD, 'wrong')), device: device('md5', { toClient: OLD }), session, nextNonce: NEXT }), {
    kind: 'refuse', status: 401, reason: 'too-many-failures', session,
  });
  assert.equal(decideClientAuth({ header: header(md5Cred(OLD)), device: device('md5', { toClient: OLD }), session, nextNonce: NEXT }).status, 212, 'a right Cred still passes');
});

test('an unknown device is refused without Chal: 407 without Cred, 401 with one', () => {
  assert.deepEqual(decideClientAuth({ header: header(), device: undefined, session: NEW_SESSION_AUTH, nextNonce: NEXT }), {
    kind: 'refuse', status: 407, reason: 'unknown-device', session: NEW_SESSION_AUTH,
  });
  assert.equal(decideClientAuth({ header: header(md5Cred(OLD)), device: undefined, session: NEW_SESSION_AUTH, nextNonce: NEXT }).status, 401);
});

test('DM 1.2 and DM 1.3 headers are decided alike', () => {
  for (const verProto of ['DM/1.2', 'DM/1.3'] as const) {
    const decision = decideClientAuth({ header: header(md5Cred(OLD), verProto), device: device('md5', { toClient: OLD }), session: NEW_SESSION_AUTH, nextNonce: NEXT });
    assert.equal(decision.status, 212, verProto);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { HMAC_HEADER, hmacHeaderFor, verifyMac } from '../../../src/omadm/v13/auth/index.js';
import { SYNCML_DM_XML, type SyncmlMessage, decodeSyncml, encodeSyncml } from '../../../src/omadm/v13/codec/index.js';
import { PATIENT, oneM2M, throughSession } from '../adapter/dm-adapter-kit.js';
import { CREDENTIALS, device, dmUrl, enrol, message, proxyWithOmadm, readNode, statusOf } from './dm-test-kit.js';

const HMAC_CREDENTIALS = { ...CREDENTIALS, auth: 'hmac' };
const DEVICE_KEY = { user: CREDENTIALS.client.user, secret: CREDENTIALS.client.secret };
const SERVER_KEY = { user: CREDENTIALS.server.id, secret: CREDENTIALS.server.secret };
const PACKAGE1 = [{ kind: 'Alert' as const, cmdId: '1', data: 1201, items: [] }];

async function hmacProxy(t: { after(fn: () => unknown): void }, devId: string) {
  const dm = await proxyWithOmadm();
  t.after(() => dm.proxy.stop(true));
  await enrol(dm.proxy, devId, HMAC_CREDENTIALS);
  return dm;
}

interface RawAnswer {
  hmac?: string;
  body: Buffer;
  message: SyncmlMessage;
}

/** One POST of exactly these bytes with these headers, on a fresh connection. */
async function postBytes(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const answer = await new Promise<{ status?: number; hmac?: string; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': SYNCML_DM_XML, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, hmac: res.headers[HMAC_HEADER] as string | undefined, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(answer.status, 200);
  return { hmac: answer.hmac, body: answer.body, message: decodeSyncml(answer.body) };
}

function package1(devId: string, url: string, sessionId: string): Buffer {
  const sent = message(devId, 1, PACKAGE1, true, false, url);
  sent.header.sessionId = sessionId;
  return Buffer.from(encodeSyncml(sent));
}

/** The answer refuses the message: only Status elements, the header's with a Chal of syncml:auth-MAC and a NextNonce; unsigned. */
function assertMacChallenge(answer: RawAnswer, status: number): string {
  const header = statusOf(answer.message, '0');
  assert.equal(header?.data, status);
  assert.equal(header?.chal?.meta.type, 'syncml:auth-MAC');
  assert.equal(header?.chal?.meta.format, 'b64');
  assert.equal(Buffer.from(header?.chal?.meta.nextNonce ?? '', 'base64').length, 16);
  assert.ok(answer.message.body.every((command) => command.kind === 'Status'), 'only Status elements');
  assert.equal(statusOf(answer.message, '1')?.data, status, 'the Alert gets the same code');
  assert.equal(answer.message.header.cred, undefined);
  assert.equal(answer.hmac, undefined, 'a sender that has not proved who it is gets no signature');
  return header!.chal!.meta.nextNonce!;
}

test('hmac: a full session through the simulator, then a oneM2M Retrieve in the next one; every message signed both ways, no Cred', async (t) => {
  const devId = 'IMEI:hmac-1';
  const { proxy, omadm } = await hmacProxy(t, devId);
  const sim = device(t, proxy, { devId, version: '1.3', auth: 'hmac' });
  const first = await sim.openSession();
  assert.equal(first.result, 'completed', first.reason);
  assert.ok(sim.events.some((event) => event.event === 'authenticated' && event.status === 212));
  assert.ok(sim.events.some((event) => event.event === 'server-authenticated'), 'the proxy\'s signature was accepted');
  assert.equal((await readNode(proxy, devId)).rsc, '2000');

  sim.setValue('./DiagMon/Memory/Avail', '4321', 'int');
  const memory = await throughSession({ proxy, omadm, sim }, devId, () => oneM2M(proxy, 'GET', `/proxy/${devId}/memory`, undefined, PATIENT));
  assert.equal(memory.rsc, 2000, memory.dbg);
  assert.equal(memory.body.mma, 4321);
  assert.ok(sim.events.some((event) => event.event === 'command' && event.cmd === 'Get' && event.path === './DiagMon/Memory/Avail'));
  for (const refusal of ['challenged', 'server-refused']) assert.equal(sim.events.filter((event) => event.event === refusal).length, 0, refusal);
});

test('hmac on the wire: the answer to a right mac is 212 with the next nonce, signed over its exact bytes; a replay of the message is refused', async (t) => {
  const devId = 'IMEI:hmac-wire';
  const { proxy } = await hmacProxy(t, devId);
  const url = dmUrl(proxy);
  const body = package1(devId, url, 'w1');
  const signedHeader = hmacHeaderFor(DEVICE_KEY, body);
  const answer = await postBytes(url, body, { [HMAC_HEADER]: signedHeader });
  const header = statusOf(answer.message, '0');
  assert.equal(header?.data, 212);
  assert.equal(header?.chal?.meta.type, 'syncml:auth-MAC');
  assert.equal(answer.message.header.cred, undefined, 'auth-MAC never travels in a Cred');
  assert.equal(verifyMac({ body: answer.body, hmac: answer.hmac }, SERVER_KEY), 'accepted', 'signed with the server credentials, empty nonce before the device gave one');
  assert.equal(answer.hmac, hmacHeaderFor(SERVER_KEY, answer.body));

  // The same bytes again, in a new session: the nonce moved with the answer, so the old mac no longer holds.
  const replay = await postBytes(url, package1(devId, url, 'w2'), { [HMAC_HEADER]: signedHeader });
  assertMacChallenge(replay, 401);
});

test('hmac: a wrong mac gets 401, a missing header 407, a Cred instead of the header 407, each with a Chal of syncml:auth-MAC; no node', async (t) => {
  const devId = 'IMEI:hmac-bad';
  const { proxy } = await hmacProxy(t, devId);
  const url = dmUrl(proxy);
  const wrong = package1(devId, url, 'b1');
  assertMacChallenge(await postBytes(url, wrong, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, secret: 'wrong' }, wrong) }), 401);
  assertMacChallenge(await postBytes(url, package1(devId, url, 'b2')), 407);
  const withCred = message(devId, 1, PACKAGE1, true, true, url);
  withCred.header.sessionId = 'b3';
  assertMacChallenge(await postBytes(url, Buffer.from(encodeSyncml(withCred))), 407);
  const otherUser = package1(devId, url, 'b4');
  assertMacChallenge(await postBytes(url, otherUser, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, user: 'intruder' }, otherUser) }), 401);
  assert.equal((await readNode(proxy, devId)).rsc, '4004');

  const sim = device(t, proxy, { devId: 'IMEI:hmac-bad', auth: 'hmac', secret: 'not-the-secret' });
  assert.equal((await sim.openSession()).result, 'auth-failed');
  assert.equal((await readNode(proxy, devId)).rsc, '4004');
});

test('hmac: a body changed by one byte after signing gets 401; the same bytes as signed get in', async (t) => {
  const devId = 'IMEI:hmac-tamper';
  const { proxy } = await hmacProxy(t, devId);
  const url = dmUrl(proxy);
  const body = package1(devId, url, 't1');
  const signedHeader = hmacHeaderFor(DEVICE_KEY, body);
  const tampered = Buffer.from(body.toString().replace('<Data>1201</Data>', '<Data>1200</Data>'));
  assert.equal(tampered.length, body.length);
  assert.equal(tampered.filter((byte, i) => byte !== body[i]).length, 1, 'one byte changed');
  const nonce = assertMacChallenge(await postBytes(url, tampered, { [HMAC_HEADER]: signedHeader }), 401);

  // The challenge names the nonce to hash (none was stored: a fresh one); the retry over it gets in.
  const retry = package1(devId, url, 't1');
  const answer = await postBytes(url, retry, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, nonce }, retry) });
  assert.equal(statusOf(answer.message, '0')?.data, 212);
});

test('hmac: a device with a stale nonce is challenged once and gets in; the next session needs no challenge', async (t) => {
  const devId = 'IMEI:hmac-stale';
  const { proxy } = await hmacProxy(t, devId);
  const sim = device(t, proxy, { devId, auth: 'hmac' });
  (sim as unknown as { auth: { serverNonce?: string } }).auth.serverNonce = Buffer.from('an old nonce').toString('base64');
  const outcome = await sim.openSession();
  assert.equal(outcome.result, 'completed', outcome.reason);
  assert.equal(sim.events.filter((event) => event.event === 'challenged').length, 1);
  assert.ok(sim.events.some((event) => event.event === 'challenged' && event.type === 'hmac'));
  const next = await sim.openSession();
  assert.equal(next.result, 'completed', next.reason);
  assert.equal(sim.events.filter((event) => event.event === 'challenged').length, 1, 'the nonces of the last answer carried over');
});

test('hmac: the device checks the proxy\'s signature; with a wrong server secret it refuses and carries out no command', async (t) => {
  const devId = 'IMEI:hmac-srv';
  const { proxy, omadm } = await hmacProxy(t, devId);
  const sim = device(t, proxy, { devId, auth: 'hmac', serverSecret: 'not-the-server-secret' });
  const before = sim.value('./DevInfo/Mod');
  await sim.openSession();
  assert.ok(sim.events.some((event) => event.event === 'server-refused' && event.status === 401), 'the device refused the proxy\'s signature');
  assert.ok(!sim.events.some((event) => event.event === 'server-authenticated'));
  assert.equal(sim.events.filter((event) => event.event === 'command').length, 0, 'no command carried out');
  assert.equal(sim.value('./DevInfo/Mod'), before);
  // The first publication's inventory read was sent, refused (401) and put back for a session the device accepts.
  assert.ok((await omadm.commandQueue.waiting(devId)).length > 0, 'the refused commands are queued again');
});

test('hmac: a wrong mac inside an authenticated session gets 401 and leaves the session as it was; the right mac goes on in it', async (t) => {
  const devId = 'IMEI:hmac-midway';
  const { proxy } = await hmacProxy(t, devId);
  const url = dmUrl(proxy);
  const first = package1(devId, url, 'm1');
  const opened = await postBytes(url, first, { [HMAC_HEADER]: hmacHeaderFor(DEVICE_KEY, first) });
  assert.equal(statusOf(opened.message, '0')?.data, 212);
  const respUri = opened.message.header.respUri!;
  let nonce = statusOf(opened.message, '0')!.chal!.meta.nextNonce!;
  const next = (msgId: number) => {
    const sent = message(devId, msgId, [{ kind: 'Alert', cmdId: '1', data: 1222, items: [] }], true, false, url);
    sent.header.sessionId = 'm1';
    return Buffer.from(encodeSyncml(sent));
  };
  const forged = next(2);
  const refused = await postBytes(respUri, forged, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, secret: 'guess' }, forged) });
  assert.equal(assertMacChallenge(refused, 401), nonce, 'the challenge repeats the nonce the device holds');
  const stale = next(2);
  assertMacChallenge(await postBytes(respUri, stale, { [HMAC_HEADER]: hmacHeaderFor(DEVICE_KEY, stale) }), 401);

  const right = next(2);
  const goesOn = await postBytes(respUri, right, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, nonce }, right) });
  assert.equal(statusOf(goesOn.message, '0')?.data, 200, 'the session is still authenticated');
  assert.equal(goesOn.message.header.msgId, '2', 'the refused messages left the session\'s MsgID alone');
  assert.equal(verifyMac({ body: goesOn.body, hmac: goesOn.hmac }, SERVER_KEY), 'accepted');
  nonce = statusOf(goesOn.message, '0')!.chal!.meta.nextNonce!;
  assert.equal(Buffer.from(nonce, 'base64').length, 16, 'a fresh nonce for the next message');
});

test('hmac: after 5 wrong macs the DevId is locked out, even with the right mac (as for md5)', async (t) => {
  const devId = 'IMEI:hmac-locked';
  const { proxy } = await hmacProxy(t, devId);
  const url = dmUrl(proxy);
  let nonce: string | undefined;
  for (let i = 0; i < 5; i++) {
    const body = package1(devId, url, `l${i}`);
    nonce = assertMacChallenge(await postBytes(url, body, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, secret: `guess-${i}` }, body) }), 401);
  }
  const body = package1(devId, url, 'right');
  const locked = await postBytes(url, body, { [HMAC_HEADER]: hmacHeaderFor({ ...DEVICE_KEY, nonce }, body) });
  assert.equal(statusOf(locked.message, '0')?.data, 401, 'locked out');
  assert.equal(statusOf(locked.message, '0')?.chal, undefined, 'without a Chal');
  assert.equal(locked.hmac, undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PACKAGE0_VERSION, decodePackage0, encodePackage0, package0Authentic } from '../../../src/omadm/v13/trigger/package0.js';
import { checkNotification } from '../../../src/sim/omadm/notification-listener.js';

const SERVER = { id: 'dm-proxy', secret: 'proxy-secret' };
const NONCE = Buffer.from('0123456789abcdef').toString('base64');

test('package 0 lays out digest, version 11, UI mode, initiator, session id and server id big-endian', () => {
  const bytes = encodePackage0({ version: PACKAGE0_VERSION, uiMode: 'background', serverInitiated: true, sessionId: 0xbeef }, SERVER, NONCE);
  assert.equal(bytes.length, 16 + 8 + SERVER.id.length);
  // 0000001011 01 1 000…: version 11, background (1), server-initiated
  assert.deepEqual([...bytes.subarray(16, 21)], [0x02, 0xd8, 0x00, 0x00, 0x00]);
  assert.equal(bytes.readUInt16BE(21), 0xbeef);
  assert.equal(bytes.readUInt8(23), SERVER.id.length);
  assert.equal(bytes.subarray(24).toString(), SERVER.id);
  const decoded = decodePackage0(bytes);
  assert.ok(!('error' in decoded));
  assert.deepEqual(decoded.notification, { version: 11, uiMode: 'background', serverInitiated: true, sessionId: 0xbeef, serverId: SERVER.id });
});

test('the digest holds only for the server credentials and the nonce it was made with', () => {
  const bytes = encodePackage0({ version: PACKAGE0_VERSION, uiMode: 'user-interaction', serverInitiated: true, sessionId: 7 }, SERVER, NONCE);
  const decoded = decodePackage0(bytes);
  assert.ok(!('error' in decoded));
  assert.equal(package0Authentic(decoded.digest, decoded.trigger, SERVER, NONCE), true);
  assert.equal(package0Authentic(decoded.digest, decoded.trigger, { ...SERVER, secret: 'other' }, NONCE), false);
  assert.equal(package0Authentic(decoded.digest, decoded.trigger, SERVER, undefined), false);
  const tampered = Buffer.from(bytes);
  tampered[22] ^= 1; // another session id
  const again = decodePackage0(tampered);
  assert.ok(!('error' in again));
  assert.equal(package0Authentic(again.digest, again.trigger, SERVER, NONCE), false);
});

test('the simulated device accepts a right package 0 and refuses a short, foreign or forged one', () => {
  const check = { serverId: SERVER.id, serverSecret: SERVER.secret, nonce: () => NONCE };
  const good = encodePackage0({ version: PACKAGE0_VERSION, uiMode: 'background', serverInitiated: true, sessionId: 0x1a }, SERVER, NONCE);
  assert.deepEqual(checkNotification(good, check), { accepted: true, sessionId: '1A', uiMode: 'background', checked: true });
  assert.equal(checkNotification(good.subarray(0, 20), check).accepted, false);
  const foreign = encodePackage0({ version: PACKAGE0_VERSION, uiMode: 'background', serverInitiated: true, sessionId: 1 }, { id: 'other', secret: SERVER.secret }, NONCE);
  assert.deepEqual(checkNotification(foreign, check), { accepted: false, reason: 'package 0 names server "other", not "dm-proxy"' });
  const forged = encodePackage0({ version: PACKAGE0_VERSION, uiMode: 'background', serverInitiated: true, sessionId: 1 }, { ...SERVER, secret: 'guess' }, NONCE);
  assert.match(JSON.stringify(checkNotification(forged, check)), /digest/);
});

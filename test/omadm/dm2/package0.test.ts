import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DM2_PACKAGE0_OPTION, decodeDm2Package0, dm2Package0Authentic, encodeDm2Package0, signDm2Package0 } from '../../../src/omadm/v20/trigger/index.js';
import { Dm2NotificationChecker } from '../../../src/sim/omadm2/notification-listener.js';

const NOW_S = 1_750_000_000;
const FIELDS = { serverId: 'dm-proxy', preferredConType: 0, notificationId: 0x1234, timestamp: NOW_S, reqMos: true };

test('DM 2.0 package 0: 2-byte header (VER, option count), options 1-6 as delta/length/value, SHA256 over secret | notification with a zero digest | auth data', () => {
  const bytes = signDm2Package0(FIELDS, { secret: 'noti-secret', authData: 'noti-data' });
  assert.equal(bytes.readUInt16BE(0), (1 << 12) | (6 << 7), 'VER 1, 6 options, reserved bits 0');
  let offset = 2;
  const options: Array<[number, Buffer]> = [];
  let number = 0;
  while (offset < bytes.length) {
    const first = bytes[offset++];
    let length = first & 0x0f;
    if (length === 13) length = 13 + bytes[offset++];
    number += first >>> 4;
    options.push([number, bytes.subarray(offset, offset + length)]);
    offset += length;
  }
  assert.deepEqual(options.map(([n]) => n), [1, 2, 3, 4, 5, 6]);
  assert.equal(options[0][1].toString(), 'dm-proxy');
  assert.deepEqual([...options[1][1]], [0]);
  assert.deepEqual([...options[2][1]], [0x12, 0x34], 'NOTIFICATION-ID: 2 bytes');
  assert.equal(options[4][1].readUInt32BE(0), NOW_S, 'TIMESTAMP: POSIX seconds');
  assert.equal(options[5][1].length, 0, 'REQ-MOS: no value');
  const digest = options[3][1];
  assert.equal(digest.length, 32);
  const zeroed = Buffer.from(bytes);
  zeroed.fill(0, digest.byteOffset - bytes.byteOffset, digest.byteOffset - bytes.byteOffset + 32);
  assert.deepEqual(digest, createHash('sha256').update('noti-secret').update(zeroed).update('noti-data').digest());

  const decoded = decodeDm2Package0(bytes);
  assert.ok(!('error' in decoded));
  assert.deepEqual({ ...decoded.notification, digest: undefined }, { version: 1, ...FIELDS, digest: undefined });
  assert.equal(dm2Package0Authentic(bytes, decoded.digestOffset, { secret: 'noti-secret', authData: 'noti-data' }), true);
  assert.equal(dm2Package0Authentic(bytes, decoded.digestOffset, { secret: 'noti-secret' }), false, 'auth data counts');
  assert.equal(dm2Package0Authentic(bytes, decoded.digestOffset, { secret: 'guess', authData: 'noti-data' }), false);
  const tampered = Buffer.from(bytes);
  tampered[options[2][1].byteOffset - bytes.byteOffset] ^= 1;
  assert.equal(dm2Package0Authentic(tampered, decoded.digestOffset, { secret: 'noti-secret', authData: 'noti-data' }), false, 'a changed NOTIFICATION-ID');
});

test('DM 2.0 package 0 decoding refuses what is malformed with a reason', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['empty', Buffer.alloc(0), /too short/],
    ['fewer options than announced', Buffer.from([0x10, 0x80]), /announces 1 options, has 0/],
    ['value cut off', Buffer.from([0x10, 0x80, 0x15, 0x61]), /cut off/],
    ['reserved nibble', Buffer.from([0x10, 0x80, 0xf0]), /reserved nibble/],
    ['option repeated', Buffer.from([0x11, 0x00, 0x11, 0x61, 0x01, 0x62]), /appears twice/],
    ['NOTIFICATION-ID of 1 byte', Buffer.from([0x10, 0x80, 0x31, 0x07]), /2-byte/],
    ['short digest', encodeDm2Package0({ notificationId: 1, digest: Buffer.alloc(31) }), /31 bytes, not 32/],
    ['trailing bytes', Buffer.concat([encodeDm2Package0({ notificationId: 1 }), Buffer.from([0])]), /after the last option/],
  ];
  for (const [what, bytes, reason] of cases) {
    const decoded = decodeDm2Package0(bytes);
    assert.ok('error' in decoded, what);
    assert.match(decoded.error, reason, what);
  }
  assert.equal(DM2_PACKAGE0_OPTION.sha256Digest, 4);
});

test('the DM 2.0 simulator with a server secret takes a package 0 only with the right digest, a fresh TIMESTAMP and once', () => {
  let nowMs = NOW_S * 1000;
  const checker = new Dm2NotificationChecker({ serverId: 'dm-proxy', serverSecret: 'noti-secret', maxAgeS: 300, now: () => nowMs });
  const good = signDm2Package0(FIELDS, { secret: 'noti-secret' });
  const refused = (bytes: Buffer) => {
    const outcome = checker.read(bytes);
    return outcome.accepted ? 'accepted' : outcome.reason;
  };
  assert.match(refused(signDm2Package0(FIELDS, { secret: 'wrong-secret' })), /SHA256-DIGEST of package 0 is wrong/);
  assert.match(refused(encodeDm2Package0(FIELDS)), /no SHA256-DIGEST/);
  assert.match(refused(signDm2Package0({ ...FIELDS, timestamp: NOW_S - 301 }, { secret: 'noti-secret' })), /TIMESTAMP of package 0 is 301 s from now/);
  assert.match(refused(signDm2Package0({ ...FIELDS, timestamp: undefined }, { secret: 'noti-secret' })), /no TIMESTAMP/);
  assert.match(refused(signDm2Package0({ ...FIELDS, serverId: 'someone-else' }, { secret: 'noti-secret' })), /names server "someone-else"/);
  const accepted = checker.read(good);
  assert.ok(accepted.accepted && accepted.checked && accepted.notification.notificationId === 0x1234);
  assert.match(refused(good), /replayed/);
  nowMs += 400_000;
  assert.match(refused(good), /TIMESTAMP/, 'later, the replay is stale');
  assert.equal(refused(signDm2Package0({ ...FIELDS, timestamp: NOW_S + 400 }, { secret: 'noti-secret' })), 'accepted');
});

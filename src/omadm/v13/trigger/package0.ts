import { createHash, timingSafeEqual } from 'node:crypto';
import { UI_MODES, type UiMode } from '../../common/trigger/session-trigger.js';
import { nonceBytes } from '../auth/index.js';

/**
 * Package 0, the General Notification Initiated Session Alert (OMA DM Notification Initiated Session, reference §1.13):
 * a 128-bit MD5 digest, then the trigger: 10-bit version, 2-bit UI mode, 1-bit initiator, 27 reserved bits, 16-bit
 * session id, server id length and server id; big-endian. The digest proves the server: H(B64(H(id:secret)) ":" nonce
 * ":" B64(H(trigger))), nonce = the base64-decoded NextNonce the device last gave the server.
 */

/** The version field libdmclient accepts (1.1 in the notification's own numbering). */
export const PACKAGE0_VERSION = 11;
const DIGEST_BYTES = 16;
/** version … reserved (5 bytes), session id (2), server id length (1). */
const FIXED_TRIGGER_BYTES = 8;
const MAX_SERVER_ID_BYTES = 255;


export interface Package0 {
  version: number;
  uiMode: UiMode;
  /** true: the server asked for the session; false: the user did. */
  serverInitiated: boolean;
  /** 0–65535: the SessionID the device's session uses. */
  sessionId: number;
  serverId: string;
}

const md5 = (...parts: Array<string | Buffer>): Buffer => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

function digestOf(trigger: Buffer, server: { id: string; secret: string }, nextNonce: string | undefined): Buffer {
  const credentials = md5(`${server.id}:${server.secret}`).toString('base64');
  return md5(credentials, ':', nonceBytes(nextNonce), ':', md5(trigger).toString('base64'));
}

export function encodePackage0(notification: Omit<Package0, 'serverId'>, server: { id: string; secret: string }, nextNonce: string | undefined): Buffer {
  const id = Buffer.from(server.id, 'utf8');
  if (id.length > MAX_SERVER_ID_BYTES) throw new RangeError(`a server id of ${id.length} bytes does not fit package 0 (at most ${MAX_SERVER_ID_BYTES})`);
  if (!Number.isInteger(notification.sessionId) || notification.sessionId < 0 || notification.sessionId > 0xffff) throw new RangeError('the session id of package 0 is 16 bits');
  const trigger = Buffer.alloc(FIXED_TRIGGER_BYTES + id.length);
  // version(10) uiMode(2) initiator(1) reserved(27): the first 40 bits.
  const head = (notification.version << 22) | (UI_MODES.indexOf(notification.uiMode) << 20) | (notification.serverInitiated ? 1 << 19 : 0);
  trigger.writeUInt32BE(head >>> 0, 0);
  trigger.writeUInt16BE(notification.sessionId, 5);
  trigger.writeUInt8(id.length, 7);
  id.copy(trigger, FIXED_TRIGGER_BYTES);
  return Buffer.concat([digestOf(trigger, server, nextNonce), trigger]);
}

/** The notification, or a reason it is none (too short, server id cut off). */
export function decodePackage0(bytes: Buffer): { notification: Package0; digest: Buffer; trigger: Buffer } | { error: string } {
  if (bytes.length < DIGEST_BYTES + FIXED_TRIGGER_BYTES) return { error: `package 0 of ${bytes.length} bytes is too short` };
  const digest = bytes.subarray(0, DIGEST_BYTES);
  const trigger = bytes.subarray(DIGEST_BYTES);
  const head = trigger.readUInt32BE(0);
  const idLength = trigger.readUInt8(7);
  if (trigger.length < FIXED_TRIGGER_BYTES + idLength) return { error: `the server id of ${idLength} bytes is cut off` };
  return {
    digest,
    trigger,
    notification: {
      version: head >>> 22,
      uiMode: UI_MODES[(head >>> 20) & 0b11],
      serverInitiated: ((head >>> 19) & 1) === 1,
      sessionId: trigger.readUInt16BE(5),
      serverId: trigger.subarray(FIXED_TRIGGER_BYTES, FIXED_TRIGGER_BYTES + idLength).toString('utf8'),
    },
  };
}

/** Whether package 0's digest was made with these server credentials and nonce. */
export function package0Authentic(digest: Buffer, trigger: Buffer, server: { id: string; secret: string }, nextNonce: string | undefined): boolean {
  const expected = digestOf(trigger, server, nextNonce);
  return digest.length === expected.length && timingSafeEqual(digest, expected);
}

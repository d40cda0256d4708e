import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * DM 2.0 package 0, the DM Notification (OMA-TS-DM_Protocol-V2_0 §6.1.1, reference §2): big-endian, a 2-byte header
 * (4-bit VER, 5-bit option count, 7 reserved bits), then CoAP-style options in increasing number, each a 4-bit delta and
 * a 4-bit length (13 and 14 extended by one and two bytes as in CoAP) and the value. Option numbers per the
 * protocol's table: 1 SERVER-ID (string), 2 PREFERRED-CON-TYPE (0 any, 1 cellular, 2 WLAN, 3 wireline), 3
 * NOTIFICATION-ID (uint, exactly 2 bytes), 4 SHA256-DIGEST (32 bytes), 5 TIMESTAMP (POSIX time), 6 REQ-MOS (no value).
 *
 * SHA256-DIGEST: the server writes the notification with an all-zero digest, hashes
 * `server secret | that notification | auth data` (the DM Account's Noti AuthSecret and AuthData, concatenated as
 * bytes) and puts the hash in place of the zeros; the device does the same to check it.
 * Assumptions (the protocol's text as found does not fix them): VER is 1; TIMESTAMP is the POSIX time in seconds, a
 * 4-byte unsigned integer (read from 1 to 8 bytes).
 */
export const DM2_PACKAGE0_OPTION = { serverId: 1, preferredConType: 2, notificationId: 3, sha256Digest: 4, timestamp: 5, reqMos: 6 } as const;
export const DM2_PACKAGE0_VERSION = 1;
const DIGEST_BYTES = 32;
const MAX_OPTIONS = 31;

export interface Dm2Notification {
  version: number;
  serverId?: string;
  /** 0 any, 1 cellular, 2 WLAN, 3 wireline. */
  preferredConType?: number;
  notificationId?: number;
  digest?: Buffer;
  /** POSIX time in seconds. */
  timestamp?: number;
  reqMos: boolean;
}

/** The notification, where its digest's value starts (to check it), or a reason it is none. */
export type DecodedDm2Package0 = { notification: Dm2Notification; digestOffset?: number } | { error: string };

export function decodeDm2Package0(bytes: Buffer): DecodedDm2Package0 {
  if (bytes.length < 2) return { error: `package 0 of ${bytes.length} bytes is too short` };
  const head = bytes.readUInt16BE(0);
  const count = (head >>> 7) & 0x1f;
  const notification: Dm2Notification = { version: head >>> 12, reqMos: false };
  let digestOffset: number | undefined;
  const seen = new Set<number>();
  let offset = 2;
  let number = 0;
  for (let index = 0; index < count; index++) {
    if (offset >= bytes.length) return { error: `package 0 announces ${count} options, has ${index}` };
    const first = bytes[offset++];
    const delta = extended(first >>> 4);
    const length = extended(first & 0x0f);
    if (delta === undefined || length === undefined) return { error: `option ${index + 1} is cut off or uses the reserved nibble 15` };
    number += delta;
    if (seen.has(number)) return { error: `option ${number} appears twice` };
    seen.add(number);
    const value = bytes.subarray(offset, offset + length);
    if (value.length !== length) return { error: `option ${number} is cut off` };
    if (number === DM2_PACKAGE0_OPTION.sha256Digest) digestOffset = offset;
    offset += length;
    const problem = apply(notification, number, value);
    if (problem) return { error: problem };
  }
  if (offset !== bytes.length) return { error: `${bytes.length - offset} bytes after the last option` };
  return digestOffset === undefined ? { notification } : { notification, digestOffset };

  function extended(nibble: number): number | undefined {
    if (nibble < 13) return nibble;
    if (nibble === 13 && offset < bytes.length) return 13 + bytes[offset++];
    if (nibble === 14 && offset + 1 < bytes.length) {
      const value = 269 + bytes.readUInt16BE(offset);
      offset += 2;
      return value;
    }
    return undefined;
  }
}

function apply(notification: Dm2Notification, number: number, value: Buffer): string | undefined {
  const uint = (): number => value.reduce((sum, byte) => sum * 256 + byte, 0);
  switch (number) {
    case DM2_PACKAGE0_OPTION.serverId:
      notification.serverId = value.toString('utf8');
      return undefined;
    case DM2_PACKAGE0_OPTION.preferredConType:
      if (value.length !== 1) return 'PREFERRED-CON-TYPE is one byte';
      notification.preferredConType = uint();
      return undefined;
    case DM2_PACKAGE0_OPTION.notificationId:
      if (value.length !== 2) return 'NOTIFICATION-ID is a 2-byte number';
      notification.notificationId = uint();
      return undefined;
    case DM2_PACKAGE0_OPTION.sha256Digest:
      if (value.length !== DIGEST_BYTES) return `SHA256-DIGEST has ${value.length} bytes, not ${DIGEST_BYTES}`;
      notification.digest = Buffer.from(value);
      return undefined;
    case DM2_PACKAGE0_OPTION.timestamp:
      if (value.length < 1 || value.length > 6) return 'TIMESTAMP is a POSIX time of 1 to 6 bytes';
      notification.timestamp = uint();
      return undefined;
    case DM2_PACKAGE0_OPTION.reqMos:
      if (value.length !== 0) return 'REQ-MOS has no value';
      notification.reqMos = true;
      return undefined;
    default:
      // An option of a later notification version: skipped, as CoAP skips elective options.
      return undefined;
  }
}

/** Writes the options given, in increasing number (no digest computed: see signDm2Package0). */
export function encodeDm2Package0(notification: Partial<Dm2Notification>): Buffer {
  const options: Array<[number, Buffer]> = [];
  const uint = (value: number, bytes: number): Buffer => {
    const out = Buffer.alloc(bytes);
    out.writeUIntBE(value, 0, bytes);
    return out;
  };
  if (notification.serverId !== undefined) options.push([DM2_PACKAGE0_OPTION.serverId, Buffer.from(notification.serverId, 'utf8')]);
  if (notification.preferredConType !== undefined) options.push([DM2_PACKAGE0_OPTION.preferredConType, uint(notification.preferredConType, 1)]);
  if (notification.notificationId !== undefined) options.push([DM2_PACKAGE0_OPTION.notificationId, uint(notification.notificationId, 2)]);
  if (notification.digest !== undefined) options.push([DM2_PACKAGE0_OPTION.sha256Digest, notification.digest]);
  if (notification.timestamp !== undefined) options.push([DM2_PACKAGE0_OPTION.timestamp, uint(notification.timestamp, 4)]);
  if (notification.reqMos) options.push([DM2_PACKAGE0_OPTION.reqMos, Buffer.alloc(0)]);
  if (options.length > MAX_OPTIONS) throw new RangeError(`package 0 holds at most ${MAX_OPTIONS} options`);
  const parts: Buffer[] = [uint((((notification.version ?? DM2_PACKAGE0_VERSION) & 0xf) << 12) | (options.length << 7), 2)];
  let previous = 0;
  for (const [number, value] of options) {
    const nibble = (n: number): [number, Buffer] => (n < 13 ? [n, Buffer.alloc(0)] : n < 269 ? [13, uint(n - 13, 1)] : [14, uint(n - 269, 2)]);
    const [delta, deltaExt] = nibble(number - previous);
    const [length, lengthExt] = nibble(value.length);
    parts.push(Buffer.from([(delta << 4) | length]), deltaExt, lengthExt, value);
    previous = number;
  }
  return Buffer.concat(parts);
}

/** The DM Account's notification credentials: Noti AuthSecret and (optional) AuthData. */
export interface Dm2NotificationSecret {
  secret: string;
  authData?: string;
}

function digestOf(zeroed: Buffer, credentials: Dm2NotificationSecret): Buffer {
  return createHash('sha256').update(credentials.secret, 'utf8').update(zeroed).update(credentials.authData ?? '', 'utf8').digest();
}

/** Package 0 with these options and its SHA256-DIGEST over `credentials`. */
export function signDm2Package0(notification: Omit<Partial<Dm2Notification>, 'digest'>, credentials: Dm2NotificationSecret): Buffer {
  const bytes = encodeDm2Package0({ ...notification, digest: Buffer.alloc(DIGEST_BYTES) });
  const decoded = decodeDm2Package0(bytes);
  if ('error' in decoded || decoded.digestOffset === undefined) throw new Error(`package 0 does not decode: ${'error' in decoded ? decoded.error : 'no digest'}`);
  digestOf(bytes, credentials).copy(bytes, decoded.digestOffset);
  return bytes;
}

/** Whether the package's SHA256-DIGEST was made with these credentials (false when it has none). */
export function dm2Package0Authentic(bytes: Buffer, digestOffset: number | undefined, credentials: Dm2NotificationSecret): boolean {
  if (digestOffset === undefined || digestOffset + DIGEST_BYTES > bytes.length) return false;
  const zeroed = Buffer.from(bytes);
  zeroed.fill(0, digestOffset, digestOffset + DIGEST_BYTES);
  const given = bytes.subarray(digestOffset, digestOffset + DIGEST_BYTES);
  return timingSafeEqual(given, digestOf(zeroed, credentials));
}

/**
 * DM 2.0 package 0 (DM Notification, reference §2): 4-bit VER, 5-bit option count, 7 reserved bits, then CoAP-style
 * options in increasing number, each a 4-bit delta and a 4-bit length (13 and 14 extended by one and two bytes as in
 * CoAP) and the value. The reference lists the options in order but not their numbers: they are taken as 1 SERVER-ID,
 * 2 PREFERRED-CON-TYPE, 3 NOTIFICATION-ID, 4 SHA256-DIGEST, 5 TIMESTAMP, 6 REQ-MOS. The SHA256-DIGEST input ("server
 * secret | notification | auth data") is not exact enough in the reference to check: the device reports it unchecked.
 */
export const PACKAGE0_OPTION = { serverId: 1, preferredConType: 2, notificationId: 3, sha256Digest: 4, timestamp: 5, reqMos: 6 } as const;

export interface Dm2Notification {
  version: number;
  serverId?: string;
  /** 0 any, 1 cellular, 2 WLAN, 3 wireline. */
  preferredConType?: number;
  notificationId?: number;
  digest?: Buffer;
  timestamp?: number;
  reqMos: boolean;
}

export function decodeDm2Package0(bytes: Buffer): { notification: Dm2Notification } | { error: string } {
  if (bytes.length < 2) return { error: `package 0 of ${bytes.length} bytes is too short` };
  const head = bytes.readUInt16BE(0);
  const count = (head >>> 7) & 0x1f;
  const notification: Dm2Notification = { version: head >>> 12, reqMos: false };
  let offset = 2;
  let number = 0;
  for (let index = 0; index < count; index++) {
    if (offset >= bytes.length) return { error: `package 0 announces ${count} options, has ${index}` };
    const first = bytes[offset++];
    const delta = extended(first >>> 4);
    const length = extended(first & 0x0f);
    if (delta === undefined || length === undefined) return { error: `option ${index + 1} is cut off or uses the reserved nibble 15` };
    number += delta;
    const value = bytes.subarray(offset, offset + length);
    if (value.length !== length) return { error: `option ${number} is cut off` };
    offset += length;
    const problem = apply(notification, number, value);
    if (problem) return { error: problem };
  }
  if (offset !== bytes.length) return { error: `${bytes.length - offset} bytes after the last option` };
  return { notification };

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
    case PACKAGE0_OPTION.serverId: notification.serverId = value.toString('utf8'); return undefined;
    case PACKAGE0_OPTION.preferredConType: notification.preferredConType = uint(); return undefined;
    case PACKAGE0_OPTION.notificationId:
      if (value.length > 2) return 'NOTIFICATION-ID is a 16-bit number';
      notification.notificationId = uint();
      return undefined;
    case PACKAGE0_OPTION.sha256Digest:
      if (value.length !== 32) return `SHA256-DIGEST has ${value.length} bytes, not 32`;
      notification.digest = Buffer.from(value);
      return undefined;
    case PACKAGE0_OPTION.timestamp: notification.timestamp = uint(); return undefined;
    case PACKAGE0_OPTION.reqMos: notification.reqMos = true; return undefined;
    default: return undefined;
  }
}

/** The encoder the tests (and a server) can use: options given in any order, written in increasing number. */
export function encodeDm2Package0(notification: Partial<Dm2Notification> & { version?: number }): Buffer {
  const options: Array<[number, Buffer]> = [];
  const uint = (value: number, bytes: number): Buffer => {
    const out = Buffer.alloc(bytes);
    out.writeUIntBE(value, 0, bytes);
    return out;
  };
  if (notification.serverId !== undefined) options.push([PACKAGE0_OPTION.serverId, Buffer.from(notification.serverId, 'utf8')]);
  if (notification.preferredConType !== undefined) options.push([PACKAGE0_OPTION.preferredConType, uint(notification.preferredConType, 1)]);
  if (notification.notificationId !== undefined) options.push([PACKAGE0_OPTION.notificationId, uint(notification.notificationId, 2)]);
  if (notification.digest !== undefined) options.push([PACKAGE0_OPTION.sha256Digest, notification.digest]);
  if (notification.timestamp !== undefined) options.push([PACKAGE0_OPTION.timestamp, uint(notification.timestamp, 4)]);
  if (notification.reqMos) options.push([PACKAGE0_OPTION.reqMos, Buffer.alloc(0)]);
  const parts: Buffer[] = [uint((((notification.version ?? 1) & 0xf) << 12) | ((options.length & 0x1f) << 7), 2)];
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

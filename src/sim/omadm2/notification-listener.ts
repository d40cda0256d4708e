import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dm2Notification, decodeDm2Package0, dm2Package0Authentic } from './package0.js';

/** A package 0 is a few dozen bytes: anything much larger is no notification. */
const MAX_NOTIFICATION_BYTES = 1024;

export interface Dm2NotificationCheck {
  serverId: string;
  /** The DM Account's Noti AuthSecret; unset: the digest cannot be checked and the notification is taken as it is. */
  serverSecret?: string;
  /** Noti AuthData, hashed after the notification (default none). */
  authData?: string;
  /** A checked notification whose TIMESTAMP is further than this from the device's clock is refused (s). */
  maxAgeS: number;
  now(): number;
}

export type Dm2NotificationOutcome = { accepted: true; notification: Dm2Notification; checked: boolean } | { accepted: false; reason: string };

/**
 * Reads package 0s for one device: accepted when it decodes, carries a NOTIFICATION-ID and names this device's server
 * (or no server); with a server secret also only when its SHA256-DIGEST is right, its TIMESTAMP is within `maxAgeS` of
 * now and the same notification was not accepted before (replay).
 */
export class Dm2NotificationChecker {
  /** Digests of checked notifications accepted within the last maxAgeS (an older replay fails on its TIMESTAMP). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly check: Dm2NotificationCheck) {}

  read(bytes: Buffer): Dm2NotificationOutcome {
    const decoded = decodeDm2Package0(bytes);
    if ('error' in decoded) return { accepted: false, reason: decoded.error };
    const { notification } = decoded;
    if (notification.notificationId === undefined) return { accepted: false, reason: 'package 0 has no NOTIFICATION-ID' };
    const { serverId, serverSecret, maxAgeS } = this.check;
    if (notification.serverId !== undefined && notification.serverId !== serverId) return { accepted: false, reason: `package 0 names server "${notification.serverId}", not "${serverId}"` };
    if (serverSecret === undefined) return { accepted: true, notification, checked: false };
    if (!dm2Package0Authentic(bytes, decoded.digestOffset, { secret: serverSecret, authData: this.check.authData })) {
      return { accepted: false, reason: notification.digest === undefined ? 'package 0 has no SHA256-DIGEST' : 'the SHA256-DIGEST of package 0 is wrong' };
    }
    const nowS = Math.floor(this.check.now() / 1000);
    if (notification.timestamp === undefined) return { accepted: false, reason: 'package 0 has no TIMESTAMP' };
    if (Math.abs(nowS - notification.timestamp) > maxAgeS) return { accepted: false, reason: `the TIMESTAMP of package 0 is ${nowS - notification.timestamp} s from now (at most ${maxAgeS})` };
    for (const [digest, at] of this.seen) if (at < nowS - 2 * maxAgeS) this.seen.delete(digest);
    const key = (notification.digest as Buffer).toString('hex');
    if (this.seen.has(key)) return { accepted: false, reason: 'package 0 was received before (replayed)' };
    this.seen.set(key, nowS);
    return { accepted: true, notification, checked: true };
  }
}

/** The device's end of a notification bearer: package 0 as the body of a POST; 200 when accepted, 401 for a wrong digest, else 400. */
export async function listenForDm2Notifications(port: number, checker: Dm2NotificationChecker, onNotification: (outcome: Dm2NotificationOutcome) => void): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_NOTIFICATION_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const outcome = request.method === 'POST' ? checker.read(Buffer.concat(chunks)) : { accepted: false as const, reason: 'POST package 0' };
      response.writeHead(outcome.accepted ? 200 : /DIGEST/.test(outcome.reason) ? 401 : 400).end();
      onNotification(outcome);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

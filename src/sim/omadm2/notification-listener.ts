import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dm2Notification, decodeDm2Package0 } from './package0.js';

/** A package 0 is a few dozen bytes: anything much larger is no notification. */
const MAX_NOTIFICATION_BYTES = 1024;

export type Dm2NotificationOutcome = { accepted: true; notification: Dm2Notification } | { accepted: false; reason: string };

/** Accepted when it decodes, carries a NOTIFICATION-ID and names this device's server (or no server). */
export function checkDm2Notification(bytes: Buffer, serverId: string): Dm2NotificationOutcome {
  const decoded = decodeDm2Package0(bytes);
  if ('error' in decoded) return { accepted: false, reason: decoded.error };
  const { notification } = decoded;
  if (notification.notificationId === undefined) return { accepted: false, reason: 'package 0 has no NOTIFICATION-ID' };
  if (notification.serverId !== undefined && notification.serverId !== serverId) return { accepted: false, reason: `package 0 names server "${notification.serverId}", not "${serverId}"` };
  return { accepted: true, notification };
}

/** The device's end of a notification bearer: package 0 as the body of a POST; 200 when accepted, else 400. */
export async function listenForDm2Notifications(port: number, serverId: string, onNotification: (outcome: Dm2NotificationOutcome) => void): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_NOTIFICATION_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const outcome = request.method === 'POST' ? checkDm2Notification(Buffer.concat(chunks), serverId) : { accepted: false as const, reason: 'POST package 0' };
      response.writeHead(outcome.accepted ? 200 : 400).end();
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

import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePackage0, package0Authentic } from '../../omadm/v13/trigger/package0.js';

/** A package 0 is a few dozen bytes: anything much larger is no notification. */
const MAX_NOTIFICATION_BYTES = 1024;

export interface NotificationCheck {
  serverId: string;
  /** The server's secret; unset: the digest cannot be checked and the notification is taken as it is. */
  serverSecret?: string;
  /** The NextNonce the device last gave the server (the digest's nonce). */
  nonce(): string | undefined;
}

export type NotificationOutcome =
  | { accepted: true; sessionId: string; uiMode: string; checked: boolean }
  | { accepted: false; reason: string };

/** Reads one package 0: accepted when it names this device's server and its digest is right. */
export function checkNotification(bytes: Buffer, check: NotificationCheck): NotificationOutcome {
  const decoded = decodePackage0(bytes);
  if ('error' in decoded) return { accepted: false, reason: decoded.error };
  const { notification, digest, trigger } = decoded;
  if (notification.serverId !== check.serverId) return { accepted: false, reason: `package 0 names server "${notification.serverId}", not "${check.serverId}"` };
  const checked = check.serverSecret !== undefined;
  if (checked && !package0Authentic(digest, trigger, { id: check.serverId, secret: check.serverSecret as string }, check.nonce())) {
    return { accepted: false, reason: 'the digest of package 0 is wrong' };
  }
  // The session a notification asks for uses its session id, in hexadecimal, as SessionID.
  return { accepted: true, sessionId: notification.sessionId.toString(16).toUpperCase(), uiMode: notification.uiMode, checked };
}

/**
 * The device's end of a notification bearer (what a WAP push or SMS would deliver): an HTTP port taking package 0 as
 * the body of a POST. 200 when accepted (the device then opens the session), 401 for a wrong digest, 400 otherwise.
 */
export async function listenForNotifications(port: number, check: NotificationCheck, onNotification: (outcome: NotificationOutcome) => void): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_NOTIFICATION_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const outcome = request.method === 'POST' ? checkNotification(Buffer.concat(chunks), check) : { accepted: false as const, reason: 'POST package 0' };
      response.writeHead(outcome.accepted ? 200 : outcome.reason.includes('digest') ? 401 : 400).end();
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

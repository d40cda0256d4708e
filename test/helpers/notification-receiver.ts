import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../lwm2m/helpers.js';

type Attrs = Record<string, any>;

/** Upper bound for a notification to arrive, generous for a loaded machine. */
const WAIT_MS = 30_000;

export interface ReceivedNotify {
  method: string;
  headers: IncomingHttpHeaders;
  body: Attrs;
}

export interface NotificationReceiver {
  url: string;
  received: ReceivedNotify[];
  /** HTTP status of the answer to the n-th (0-based) notification; 200 unless set. */
  statusFor: (index: number) => number;
  /** Waits (bounded) until `count` notifications arrived. */
  waitFor(count: number): Promise<ReceivedNotify[]>;
  /** Waits (bounded) for the notification of the request `rqi`. */
  notificationOf(rqi: string): Promise<ReceivedNotify>;
  close(): Promise<void>;
}

/** A real HTTP receiver of result notifications on 127.0.0.1. */
export async function notificationReceiver(statusFor: (index: number) => number = () => 200): Promise<NotificationReceiver> {
  const received: ReceivedNotify[] = [];
  const receiver = { statusFor } as NotificationReceiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = received.length;
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: Attrs;
      try {
        parsed = JSON.parse(text) as Attrs;
      } catch {
        parsed = { unparsable: text };
      }
      received.push({ method: req.method ?? '', headers: req.headers, body: parsed });
      const status = receiver.statusFor(index);
      res.writeHead(status, { 'X-M2M-RSC': status === 200 ? '2000' : '5000' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    waitFor: (count: number) => eventually(async () => (received.length >= count ? received : undefined), WAIT_MS, `${count} notification(s) at port ${port}`),
    notificationOf: (rqi: string) => eventually(async () => received.find((notification) => (notification.body['m2m:rsp'] as Attrs | undefined)?.rqi === rqi), WAIT_MS, `the notification of ${rqi}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}


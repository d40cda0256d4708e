import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../lwm2m/helpers.js';

/** Upper bound for a notification to arrive, generous for a loaded machine. */
const WAIT_MS = 30_000;

export interface Notification {
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

/** An HTTP server playing the CSE that receives result notifications (X-M2M-RTU). */
export class NotificationReceiver {
  readonly received: Notification[] = [];
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'X-M2M-RSC': '2000', 'X-M2M-RI': String(req.headers['x-m2m-ri'] ?? '') }).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify`;
  }

  /** The notification of the request `rqi`, once it arrived. */
  notificationOf(rqi: string): Promise<Notification> {
    return eventually(async () => this.received.find((notification) => notification.body['m2m:rsp']?.rqi === rqi), WAIT_MS, `notification of ${rqi}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}


import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A notification gateway for tests of DM_TRIGGER=webhook: records each push (the JSON the proxy POSTs), answers
 * `status`, and on a 2xx hands the push's package 0 to `deliver` (as a WAP push or SMS would reach the device).
 */
export async function notificationGateway<Push extends { package0: string }>(
  t: { after(fn: () => unknown): void },
  status: number,
  deliver?: (package0: Buffer) => Promise<void>,
) {
  const pushes: Push[] = [];
  const failures: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const push = JSON.parse(body) as Push;
      pushes.push(push);
      response.writeHead(status).end();
      if (status < 300 && deliver) deliver(Buffer.from(push.package0, 'base64')).catch((error: unknown) => failures.push(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { pushes, failures, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/push` };
}

import { Agent, request } from 'node:http';
import type { LoadTarget, SendRequest } from './load-spec.js';

type HttpTarget = Extract<LoadTarget, { kind: 'http' }>;

/** GETs over keep-alive connections (one per concurrent request); each answer must be 200 with the expected X-M2M-RSC. */
export function httpSender(targets: HttpTarget[], concurrency: number, timeoutMs: number): { send: SendRequest; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let counter = 0;
  const send: SendRequest = (index) =>
    new Promise((resolve, reject) => {
      const target = targets[index];
      const outgoing = request(target.url, { agent, headers: { ...target.headers, 'X-M2M-RI': `load-${++counter}` }, timeout: timeoutMs }, (response) => {
        response.on('data', () => {});
        response.on('error', reject);
        response.on('end', () => {
          const rsc = response.headers['x-m2m-rsc'];
          if (response.statusCode === 200 && rsc === target.expectRsc) resolve();
          else reject(new Error(`${target.url} answered HTTP ${response.statusCode}, X-M2M-RSC ${String(rsc)}`));
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${target.url}: no answer within ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end();
    });
  return { send, close: () => agent.destroy() };
}

import { type Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request over `agent`, its whole answer read; rejects after `timeoutMs` without an answer. */
export function httpExchange(url: string, init: { method: string; headers?: Record<string, string>; body?: Buffer | string; agent: Agent; timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: init.method, agent: init.agent, headers: init.headers, timeout: init.timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${init.method} ${url}: no answer within ${init.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

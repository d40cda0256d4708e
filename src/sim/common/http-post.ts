import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpPostOptions {
  headers: Record<string, string>;
  body: Buffer;
  signal: AbortSignal;
  /** https only: trust the server's certificate when it chains to this CA (PEM) instead of the system's CAs. */
  ca?: string | Buffer;
}

export interface HttpPostAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One POST over http or https (node's clients: fetch cannot be given a CA of its own without undici). Rejects with
 * the network or TLS error (its `code`, e.g. ECONNREFUSED or DEPTH_ZERO_SELF_SIGNED_CERT) or the signal's reason.
 */
export function httpPost(url: string, options: HttpPostOptions): Promise<HttpPostAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const client = secure ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(options.body.length) },
        signal: options.signal,
        ...(secure && options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

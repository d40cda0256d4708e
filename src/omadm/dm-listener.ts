import { type IncomingMessage, type RequestListener, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { DmTls } from './tls-settings.js';
import { readBody } from './common/read-body.js';
import type { HttpAnswer } from './v13/syncml-endpoint.js';

/** One device-facing path: what it answers to a POST with this body. */
export type DmRoute = (
  contentType: string | undefined,
  body: Buffer,
  request: { serverUrl: string; peer: string; sessionToken?: string; hmac?: string },
) => Promise<HttpAnswer>;

/**
 * A device-facing path that handles its requests itself (any method, its own body reading): DM 2.0 at DM2_PATH and
 * below. `origin` is `http://host:port` as the device reached the listener.
 */
export type DmHttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL, origin: string) => Promise<void>;

export interface DmListenerOptions {
  host: string;
  port: number;
  /** Path -> handler (DM_PATH: DM 1.2/1.3; DM 2.0 comes through `handlers`). */
  routes: ReadonlyMap<string, DmRoute>;
  /** Path prefix -> handler, for the path and everything below it (DM2_PATH). */
  handlers?: ReadonlyMap<string, DmHttpHandler>;
  bodyLimitBytes: number;
  /** Open connections at once (DM_MAX_CONNECTIONS); more are closed on arrival. */
  maxConnections: number;
  /** DM_TLS_CERT + DM_TLS_KEY: the listener speaks HTTPS only; undefined: plain HTTP. */
  tls?: DmTls;
  logger: Logger;
}

export interface DmListener {
  port: number;
  close(): Promise<void>;
}

/** A device that sends its message slower than this loses the connection (a slow-loris costs one socket for this long). */
const REQUEST_TIMEOUT_MS = 30_000;

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${body}\n`);
}

function hostUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** host:port the device reached the listener at (its Host header when that is a plausible one). */
function hostOf(req: IncomingMessage): string {
  return req.headers.host !== undefined && /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(req.headers.host) ? req.headers.host : `${hostUrl(req.socket.localAddress ?? 'localhost')}:${req.socket.localPort}`;
}

/** The device-facing HTTP (HTTPS with `tls`) listener on DM_PORT: routes POSTs by path, refuses everything else with a clear reason. */
export async function openDmListener(options: DmListenerOptions): Promise<DmListener> {
  const { routes, logger } = options;
  const handlers = options.handlers ?? new Map<string, DmHttpHandler>();
  const paths = [...routes.keys(), ...handlers.keys()].join(', ');
  const handlerFor = (pathname: string) => [...handlers].find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`))?.[1];
  const handle: RequestListener = (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'DM request failed');
      if (!res.headersSent) text(res, 500, 'internal error');
      else res.destroy();
    });
  };
  const scheme = options.tls === undefined ? 'http' : 'https';
  const timeouts = { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS };
  // A client that never finishes its TLS handshake holds a socket no longer than one that never finishes its request.
  const server: Server = options.tls === undefined
    ? createServer(timeouts, handle)
    : createHttpsServer({ ...timeouts, handshakeTimeout: REQUEST_TIMEOUT_MS, cert: options.tls.cert, key: options.tls.key }, handle);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://device');
    const handler = handlerFor(url.pathname);
    if (handler !== undefined) return handler(req, res, url, `${scheme}://${hostOf(req)}`);
    const route = routes.get(url.pathname);
    if (route === undefined) return text(res, 404, `no DM server at ${url.pathname}: devices post to ${paths}`);
    if (req.method !== 'POST') return text(res, 405, `${req.method} is not served: DM devices POST their messages`, { allow: 'POST' });
    const body = await readBody(req, options.bodyLimitBytes);
    if (body === undefined) return text(res, 413, `message over the limit of ${options.bodyLimitBytes} bytes (DM_BODY_LIMIT_BYTES)`, { connection: 'close' });
    const peer = `${scheme}://${hostUrl(req.socket.remoteAddress ?? 'unknown')}:${req.socket.remotePort ?? 0}`;
    const serverUrl = `${scheme}://${hostOf(req)}${url.pathname}`;
    const sessionToken = url.searchParams.get('s') ?? undefined;
    // A repeated header arrives joined with ', ' and then fails to parse: no guess at which one counts.
    const hmac = req.headers['x-syncml-hmac'];
    const answer = await route(req.headers['content-type'], body, {
      serverUrl, peer, ...(sessionToken === undefined ? {} : { sessionToken }), ...(typeof hmac === 'string' ? { hmac } : {}),
    });
    res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType }).end(answer.body);
  }

  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'DM listener error'));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express, { type RequestHandler as ExpressHandler, type Router } from 'express';
import type { CoreDeps, HealthReport } from '../core/core-deps.js';
import type { RequestHandler } from '../core/primitives.js';
import { RSC } from '../core/rsc.js';
import { adminNotFound, adminRequestLog } from './admin-http.js';
import { InFlightRequests } from './binding/in-flight-requests.js';
import { createOnem2mEndpoint } from './binding/onem2m-endpoint.js';
import { createRequestMetrics } from './binding/request-metrics.js';

export interface HttpServerHandle { port: number; close(): Promise<void> }

export interface HttpServerDeps extends CoreDeps {
  handler: RequestHandler;
  health: () => HealthReport;
  /** Runs before the admin routers on every `/admin` request. */
  adminGuard?: ExpressHandler;
  /** Admin APIs by name, each mounted under `/admin/<name>`. */
  adminRouters: Record<string, Router>;
  /** How long close() lets in-flight requests finish before aborting them (default 10 s). */
  shutdownGraceMs?: number;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** What express serves (as its router matches: any case, an optional trailing slash); every other path is oneM2M's. */
const EXPRESS_PATHS = /^\/(?:admin(?:[/?#]|$)|(?:healthz|metrics)\/?(?:[?#]|$))/i;
/** After the abort, how long answers may still take before connections are cut. */
const ABORTED_ANSWER_GRACE_MS = 2_000;

/** Node answers unparsable HTTP itself; this keeps the oneM2M status header on that answer too. */
function answerMalformedHttp(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ 'm2m:dbg': `malformed HTTP request (${err.code ?? err.message})` });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nX-M2M-RSC: ${RSC.BAD_REQUEST}\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The oneM2M HTTP binding (TS-0009) plus /healthz, /metrics and the admin routers, on `config.httpPort`. */
export async function startHttpServer(deps: HttpServerDeps): Promise<HttpServerHandle> {
  const { config, logger } = deps;
  const inFlight = new InFlightRequests();
  let closing = false;

  const endpoint = createOnem2mEndpoint({
    handler: deps.handler,
    logger,
    metrics: createRequestMetrics(deps.metrics),
    defaultDeviceTimeoutMs: config.defaultDeviceTimeoutMs,
    bodyLimitBytes: config.bodyLimitBytes,
    signalOf: (res) => inFlight.signalOf(res),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/healthz', (_req, res) => {
    const report = deps.health();
    res.status(report.ok ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });
  app.use('/admin', adminRequestLog(logger));
  if (deps.adminGuard) app.use('/admin', deps.adminGuard);
  for (const [name, router] of Object.entries(deps.adminRouters)) app.use(`/admin/${name}`, router);
  app.use('/admin', adminNotFound);
  // what express routes but none of its routes answers (`POST /healthz`) is a oneM2M request like any other
  app.use((req: IncomingMessage, res: ServerResponse) => endpoint.handle(req, res));

  const server = createServer((req, res) => {
    inFlight.track(res);
    if (closing) res.setHeader('Connection', 'close');
    if (EXPRESS_PATHS.test(req.url ?? '')) app(req, res);
    else endpoint.handle(req, res);
  });
  server.on('clientError', answerMalformedHttp);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpPort, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const graceMs = deps.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;

  let closed: Promise<void> | undefined;
  async function shutDown(): Promise<void> {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    if (!(await inFlight.waitUntilIdle(graceMs))) {
      logger.warn({ inFlight: inFlight.size, graceMs }, 'HTTP shutdown: aborting requests still in flight');
      inFlight.abortAll(new Error('proxy shutting down'));
      await inFlight.waitUntilIdle(ABORTED_ANSWER_GRACE_MS);
    }
    server.closeAllConnections();
    await stopped;
  }

  return {
    port,
    close: () => (closed ??= shutDown()),
  };
}

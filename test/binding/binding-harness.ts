import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import express, { type Router } from 'express';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { HealthReport } from '../../src/core/core-deps.js';
import { loadConfig } from '../../src/core/config.js';
import { startHttpServer, type HttpServerHandle } from '../../src/onem2m/http-server.js';
import type { RequestHandler, RequestPrimitive, ResponsePrimitive } from '../../src/core/primitives.js';
import { checkXmlAnswer } from '../helpers/strict-xml.js';

/** A received primitive as JSON (the signal is not serializable). */
export type EchoedPrimitive = Omit<RequestPrimitive, 'signal'>;

/**
 * Test peer of the binding: records every primitive and, unless a test sets `respond`, answers 2000 with
 * the primitive it received as content (`m2m:rqp`), so a client sees what the binding made of its request.
 */
export class EchoHandler implements RequestHandler {
  readonly received: RequestPrimitive[] = [];
  respond?: (req: RequestPrimitive) => Promise<ResponsePrimitive> | ResponsePrimitive;

  async handle(req: RequestPrimitive): Promise<ResponsePrimitive> {
    this.received.push(req);
    if (this.respond) return this.respond(req);
    const { signal: _signal, ...echoed } = req;
    return { rsc: 2000, rqi: req.rqi, pc: { 'm2m:rqp': JSON.parse(JSON.stringify(echoed)) } };
  }

  get last(): RequestPrimitive {
    const last = this.received.at(-1);
    if (!last) throw new Error('the handler received nothing');
    return last;
  }
}

export interface BindingUnderTest {
  server: HttpServerHandle;
  handler: EchoHandler;
  metrics: Registry;
  /** Parsed pino lines. */
  logs: Array<Record<string, unknown>>;
  health: HealthReport;
  url(path: string): string;
  /** fetch with a valid originator and request id unless the test overrides them (`null` removes a header). */
  request(method: string, path: string, options?: { headers?: Record<string, string | null>; body?: string }): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  adminRouters?: Record<string, Router>;
  shutdownGraceMs?: number;
}

let requestCounter = 0;

export async function startBinding(options: HarnessOptions = {}): Promise<BindingUnderTest> {
  const config = loadConfig({ HTTP_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...options.env });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: config.logLevel }, sink);
  const handler = new EchoHandler();
  const metrics = new Registry();
  const health: HealthReport = { ok: true, listeners: { http: true }, modules: {}, mappings: {} };
  const server = await startHttpServer({
    config, logger, metrics, handler, health: () => health, adminRouters: options.adminRouters ?? {}, shutdownGraceMs: options.shutdownGraceMs,
  });
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  return {
    server, handler, metrics, logs, health, url,
    request(method, path, { headers = {}, body } = {}) {
      const merged: Record<string, string | null> = { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': `rqi-${++requestCounter}`, ...headers };
      const sent = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null));
      return fetch(url(path), { method, headers: sent, body }).then(checkXmlAnswer);
    },
    close: () => server.close(),
  };
}

/** Content of a JSON answer. */
export async function jsonOf(response: Response): Promise<Record<string, any>> {
  return (await response.json()) as Record<string, any>;
}

/** What the binding made of the request, as echoed by the EchoHandler. */
export async function echoed(response: Response): Promise<EchoedPrimitive> {
  const body = await jsonOf(response);
  if (!body['m2m:rqp']) throw new Error(`no echo in ${JSON.stringify(body)} (RSC ${response.headers.get('x-m2m-rsc')})`);
  return body['m2m:rqp'] as EchoedPrimitive;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http request for what fetch will not send (raw paths, odd methods, invalid bytes). */
export function rawRequest(port: number, options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Bytes straight onto a TCP connection; resolves with everything the server sent before closing. */
export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

/** An admin router like a technology module's (mount it as `ping`), to check mounting and that its paths stay out of oneM2M. */
export function pingRouter(): Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.json({ pong: true });
  });
  return router;
}

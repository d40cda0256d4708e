/**
 * A minimal LwM2M Server / Bootstrap Server peer for the simulator's self-tests, written directly on
 * node-coap (independent of the simulator's transport): it records what arrives and answers with a
 * per-test function; `downlink()` sends one request to a device from a throw-away agent.
 */
import { Agent, Server, type IncomingMessage, type OutgoingMessage } from 'coap';
import { toBinary } from 'coap/dist/lib/option_converter.js';
import { startSimulatedDevice, type SimulatedDevice, type SimulatedDeviceOptions } from '../../src/sim/lwm2m/index.js';

export interface PeerRequest {
  method: string;
  path: string;
  query: string[];
  contentFormat?: number;
  payload: Buffer;
  sourcePort: number;
}

export interface PeerAnswer {
  code: string;
  locationPath?: string[];
}

export interface CoapResponse {
  code: string;
  contentFormat?: number;
  payload: Buffer;
  locationPath: string[];
}

export interface TestPeer {
  port: number;
  host: string;
  received: PeerRequest[];
  close(): void;
}

/** Register → 2.01 at /rd/<n>; Update → 2.04; De-register → 2.02; Bootstrap-Request → 2.04. */
export function lwm2mServerAnswers(request: PeerRequest): PeerAnswer {
  if (request.method === 'POST' && request.path === '/rd') return { code: '2.01', locationPath: ['rd', `r${request.sourcePort}`] };
  if (request.method === 'POST' && request.path === '/bs') return { code: '2.04' };
  if (request.method === 'POST') return { code: '2.04' };
  if (request.method === 'DELETE') return { code: '2.02' };
  return { code: '4.05' };
}

export async function startTestPeer(answer: (request: PeerRequest) => PeerAnswer = lwm2mServerAnswers, family: 4 | 6 = 4): Promise<TestPeer> {
  const host = family === 6 ? '::1' : '127.0.0.1';
  const server = new Server({ type: family === 6 ? 'udp6' : 'udp4' });
  const received: PeerRequest[] = [];
  server.on('request', (req: IncomingMessage, res: OutgoingMessage) => {
    const request: PeerRequest = {
      method: req.method,
      path: '/' + optionValues(req, 'Uri-Path').map(String).join('/'),
      query: optionValues(req, 'Uri-Query').map(String),
      contentFormat: uint(optionValues(req, 'Content-Format')[0]),
      payload: req.payload,
      sourcePort: req.rsinfo.port,
    };
    received.push(request);
    const { code, locationPath } = answer(request);
    res.code = code;
    if (locationPath) res.setOption('Location-Path', locationPath.map((segment) => Buffer.from(segment)));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const port = (server._sock as import('node:dgram').Socket).address().port;
  return { port, host, received, close: () => server.close() };
}

/** One confirmable request to a device; rejects after `timeoutMs` without an answer. */
export function downlink(
  device: { address: string; port: number },
  request: { method: 'GET' | 'PUT' | 'POST' | 'DELETE'; path: string; accept?: number; contentFormat?: number; payload?: Buffer | string; query?: string[] },
  timeoutMs = 10_000,
): Promise<CoapResponse> {
  const agent = new Agent({ type: device.address.includes(':') ? 'udp6' : 'udp4' });
  return new Promise<CoapResponse>((resolve, reject) => {
    const options: Record<string, Buffer | Buffer[]> = {};
    const segments = request.path.split('/').filter((segment) => segment !== '');
    if (segments.length > 0) options['Uri-Path'] = segments.map((segment) => Buffer.from(segment));
    if (request.query?.length) options['Uri-Query'] = request.query.map((part) => Buffer.from(part));
    if (request.accept !== undefined) options.Accept = uintBuffer(request.accept);
    if (request.contentFormat !== undefined) options['Content-Format'] = uintBuffer(request.contentFormat);
    const req = agent.request({ hostname: device.address, port: device.port, method: request.method, options });
    const timer = setTimeout(() => {
      agent.abort(req);
      reject(new Error(`timeout: ${request.method} ${request.path}`));
    }, timeoutMs);
    req.on('response', (res: IncomingMessage) => {
      clearTimeout(timer);
      resolve({
        code: res.code,
        contentFormat: uint(optionValues(res, 'Content-Format')[0]),
        payload: res.payload,
        locationPath: optionValues(res, 'Location-Path').map(String),
      });
    });
    req.on('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(request.payload === undefined ? undefined : Buffer.from(request.payload));
  }).finally(() => agent.close());
}

/** Option values as node-coap left them (strings for Location-Path, media types for Content-Format). */
function optionValues(message: IncomingMessage, name: string): unknown[] {
  return (message._packet.options ?? []).filter((option) => option.name === name && option.value != null).map((option) => option.value);
}

function uint(value: unknown): number | undefined {
  return value === undefined ? undefined : toBinary('Content-Format', value).reduce((number, byte) => number * 256 + byte, 0);
}

function uintBuffer(value: number): Buffer {
  if (value === 0) return Buffer.alloc(0);
  return value > 255 ? Buffer.from([value >> 8, value & 0xff]) : Buffer.from([value]);
}

/** Runs `body` with a fresh simulated device and always closes it. */
export async function withSimulatedDevice(options: SimulatedDeviceOptions, body: (device: SimulatedDevice) => Promise<void>): Promise<void> {
  const device = await startSimulatedDevice(options);
  try {
    await body(device);
  } finally {
    device.close();
  }
}

/** Retries `check` (every 10 ms) until it stops throwing, at most `timeoutMs`. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

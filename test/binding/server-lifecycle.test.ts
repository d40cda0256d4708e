import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { RequestPrimitive } from '../../src/core/primitives.js';
import { jsonOf, pingRouter, rawExchange, startBinding } from './binding-harness.js';

/** Resolves when the request has been aborted, with the abort reason. */
function aborted(req: RequestPrimitive): Promise<unknown> {
  return new Promise((resolve) => req.signal.addEventListener('abort', () => resolve(req.signal.reason), { once: true }));
}

test('listens on an ephemeral port and serves /healthz, /metrics and admin routers beside oneM2M', async (t) => {
  const binding = await startBinding({ adminRouters: { ping: pingRouter() } });
  t.after(() => binding.close());
  assert.ok(binding.server.port > 0);

  const healthy = await fetch(binding.url('/healthz'));
  assert.equal(healthy.status, 200);
  assert.equal((await jsonOf(healthy)).ok, true);
  binding.health.ok = false;
  const unhealthy = await fetch(binding.url('/healthz'));
  assert.equal(unhealthy.status, 503);
  assert.equal((await jsonOf(unhealthy)).ok, false);

  assert.deepEqual(await jsonOf(await fetch(binding.url('/admin/ping'))), { pong: true });
  // Anything else outside /admin is oneM2M, so an unknown path still gets the oneM2M headers.
  const unknown = await fetch(binding.url('/nothing-here'));
  assert.equal(unknown.headers.get('x-m2m-rsc'), '4000');
  binding.handler.respond = (req) => ({ rsc: 4004, rqi: req.rqi, pc: { 'm2m:dbg': `${req.to} not found` } });
  const notFound = await binding.request('GET', '/nothing-here');
  assert.equal(notFound.status, 404);
  assert.equal(notFound.headers.get('x-m2m-rsc'), '4004');

  await binding.request('GET', '/proxy', { headers: { 'X-M2M-RI': null } });
  const metrics = await fetch(binding.url('/metrics'));
  assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
  const text = await metrics.text();
  assert.match(text, /onem2m_requests_total\{operation="retrieve",rsc="4004"\} 1/);
  assert.match(text, /onem2m_requests_total\{operation="retrieve",rsc="4000"\} 2/);
  assert.match(text, /onem2m_request_duration_seconds_count\{operation="retrieve"\} 3/);
});

test('the RSC decides the HTTP status, and the X-M2M-RSC header carries the exact code', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[number, number]> = [[2000, 200], [2002, 200], [1001, 202], [4103, 403], [4008, 504], [5106, 409], [6003, 404], [6021, 500], [6999, 500]];
  for (const [rsc, status] of cases) {
    binding.handler.respond = (req) => ({ rsc, rqi: req.rqi });
    const response = await binding.request('DELETE', '/proxy/n1');
    assert.equal(response.status, status, String(rsc));
    assert.equal(response.headers.get('x-m2m-rsc'), String(rsc));
    assert.equal(response.headers.get('content-length'), '0');
  }
});

test('a handler that throws or answers nonsense yields 5000 "internal error", logged, and the server stays up', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  binding.handler.respond = () => { throw new Error('boom in the dispatcher'); };
  const thrown = await binding.request('GET', '/proxy', { headers: { 'X-M2M-RI': 'crash-1' } });
  assert.equal(thrown.status, 500);
  assert.equal(thrown.headers.get('x-m2m-rsc'), '5000');
  assert.equal(thrown.headers.get('x-m2m-ri'), 'crash-1');
  assert.deepEqual(await jsonOf(thrown), { 'm2m:dbg': 'internal error' });
  assert.ok(binding.logs.some((line) => line.level === 50 && line.ri === 'crash-1' && /boom/.test(JSON.stringify(line.err))));

  binding.handler.respond = () => ({ rqi: 'x' }) as never;
  const nonsense = await binding.request('GET', '/proxy');
  assert.equal(nonsense.headers.get('x-m2m-rsc'), '5000');

  const circular: Record<string, unknown> = {};
  circular.self = circular;
  binding.handler.respond = (req) => ({ rsc: 2000, rqi: req.rqi, pc: { 'm2m:nod': circular } });
  const unserializable = await binding.request('GET', '/proxy');
  assert.equal(unserializable.headers.get('x-m2m-rsc'), '5000');
  assert.match((await jsonOf(unserializable))['m2m:dbg'], /cannot be serialized/);

  binding.handler.respond = undefined;
  const fine = await binding.request('GET', '/proxy');
  assert.equal(fine.headers.get('x-m2m-rsc'), '2000');
});

test('unparsable HTTP still gets a 400 carrying X-M2M-RSC 4000', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const answer = await rawExchange(binding.server.port, 'GARBAGE\x00 / HTTP/1.1\r\n\r\n');
  assert.match(answer, /^HTTP\/1.1 400 /);
  assert.match(answer, /X-M2M-RSC: 4000/);
  assert.match(answer, /m2m:dbg/);
});

test('one log line per oneM2M request with method, path, request id, originator, RSC and duration', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  await binding.request('GET', '/proxy/n1?rcn=1', { headers: { 'X-M2M-RI': 'log-me', 'X-M2M-Origin': 'Cwho' } });
  const lines = binding.logs.filter((line) => line.msg === 'oneM2M request' && line.ri === 'log-me');
  assert.equal(lines.length, 1);
  const [line] = lines;
  assert.equal(line.method, 'GET');
  assert.equal(line.path, '/proxy/n1');
  assert.equal(line.originator, 'Cwho');
  assert.equal(line.rsc, 2000);
  assert.equal(typeof line.durationMs, 'number');
});

test('a client that disconnects aborts the signal of its request', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  let reason: Promise<unknown> | undefined;
  const received = new Promise<void>((resolve) => {
    binding.handler.respond = async (req) => {
      reason = aborted(req);
      resolve();
      await reason;
      return { rsc: 2000, rqi: req.rqi };
    };
  });
  const req = httpRequest({ host: '127.0.0.1', port: binding.server.port, path: '/proxy', headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'gone' } });
  req.on('error', () => {});
  req.end();
  await received;
  assert.equal(binding.handler.last.signal.aborted, false);
  req.destroy();
  assert.match(String(await reason), /client disconnected/);
});

test('close() lets in-flight requests finish, then stops', async () => {
  const binding = await startBinding();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const arrived = new Promise<void>((resolve) => {
    binding.handler.respond = async (req) => {
      resolve();
      await gate;
      return { rsc: 2000, rqi: req.rqi, pc: { 'm2m:dbg': 'finished' } };
    };
  });
  const pending = binding.request('GET', '/proxy');
  await arrived;
  let closed = false;
  const closing = binding.close().then(() => { closed = true; });
  await delay(100);
  assert.equal(closed, false, 'close() returned while a request was in flight');
  assert.equal(binding.handler.last.signal.aborted, false);
  release();
  const response = await pending;
  assert.equal(response.headers.get('x-m2m-rsc'), '2000');
  assert.deepEqual(await jsonOf(response), { 'm2m:dbg': 'finished' });
  await closing;
  await assert.rejects(fetch(binding.url('/healthz')));
});

test('close() aborts requests still in flight after the grace period, and they are still answered', async () => {
  const binding = await startBinding({ shutdownGraceMs: 150 });
  const arrived = new Promise<void>((resolve) => {
    binding.handler.respond = async (req) => {
      resolve();
      const reason = await aborted(req);
      return { rsc: 5000, rqi: req.rqi, pc: { 'm2m:dbg': String(reason) } };
    };
  });
  const pending = binding.request('GET', '/proxy');
  await arrived;
  const started = Date.now();
  await binding.close();
  assert.ok(Date.now() - started >= 140, 'close() did not wait for the grace period');
  const response = await pending;
  assert.equal(response.headers.get('x-m2m-rsc'), '5000');
  assert.match((await jsonOf(response))['m2m:dbg'], /shutting down/);
});

test('an unknown /admin path answers a JSON 404, not oneM2M, and every /admin request is logged', async (t) => {
  const binding = await startBinding({ adminRouters: { ping: pingRouter() } });
  t.after(() => binding.close());
  const unknown = await binding.request('GET', '/admin/nothing-here?x=1', { headers: { 'X-M2M-RI': null } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('x-m2m-rsc'), null);
  assert.deepEqual(await jsonOf(unknown), { error: 'no admin resource GET /admin/nothing-here' });
  assert.equal(binding.handler.received.length, 0);
  await jsonOf(await fetch(binding.url('/admin/ping')));

  const logged = binding.logs.filter((entry) => entry.msg === 'admin request');
  assert.deepEqual(logged.map(({ method, path, originator, status }) => ({ method, path, originator, status })), [
    { method: 'GET', path: '/admin/nothing-here', originator: 'CAdmin', status: 404 },
    { method: 'GET', path: '/admin/ping', originator: undefined, status: 200 },
  ]);
});

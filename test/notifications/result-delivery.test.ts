import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry, type Counter } from 'prom-client';
import { ResultDelivery, type PendingNotification, type ResultDeliveryDeps } from '../../src/onem2m/notifications/result-delivery.js';

/** Upper bound for anything a test waits for; the tests pass long before it on a loaded machine. */
const PATIENCE_MS = 20_000;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A oneM2M notification receiver on 127.0.0.1: records each request, answers with the next of `answers` (the last repeats). */
class Receiver {
  readonly requests: Received[] = [];
  private readonly server: Server;
  private waiting: Array<{ count: number; resolve: () => void }> = [];

  constructor(private readonly answers: Array<(res: ServerResponse) => void>) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() });
        this.answers[Math.min(this.requests.length, this.answers.length) - 1](res);
        this.waiting = this.waiting.filter((w) => (this.requests.length >= w.count ? (w.resolve(), false) : true));
      });
    });
  }

  async listen(port = 0): Promise<this> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify/here?x=1`;
  }

  /** Resolves once `count` requests arrived. */
  received(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
  }
}

const status = (code: number, headers: Record<string, string> = {}) => (res: ServerResponse) => res.writeHead(code, headers).end();
const never = () => (_res: ServerResponse) => {};

/** A port nothing listens on (for now). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

async function receiver(...answers: Array<(res: ServerResponse) => void>): Promise<Receiver> {
  const r = await new Receiver(answers).listen();
  opened.push(r);
  return r;
}

interface Harness {
  delivery: ResultDelivery;
  saves: PendingNotification[];
  saved: (state: PendingNotification) => Promise<void>;
  logs: Array<{ level: number; msg: string; target?: string; reason?: string; attempts?: number }>;
  count(outcome: string): Promise<number>;
}

function harness(settings: Partial<ResultDeliveryDeps> = {}): Harness {
  const logs: Harness['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const metrics = new Registry();
  const delivery = new ResultDelivery({
    originator: '/id-proxy',
    retries: 3,
    backoffMs: 20,
    attemptTimeoutMs: 5_000,
    logger: pino({ level: 'info' }, sink),
    metrics,
    ...settings,
  });
  opened.push(delivery);
  const saves: PendingNotification[] = [];
  return {
    delivery,
    saves,
    saved: async (state) => {
      saves.push(structuredClone(state));
    },
    logs,
    async count(outcome) {
      const counter = metrics.getSingleMetric('onem2m_result_notifications_total') as Counter | undefined;
      const values = (await counter?.get())?.values ?? [];
      return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    },
  };
}

/** Fails the test instead of hanging when `promise` does not settle in time. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${PATIENCE_MS} ms`)), PATIENCE_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const rsp = { rsc: 2004, rqi: 'req-42', pc: { 'm2m:fwr': { vr: '1.1' } }, to: 'CAdmin', fr: '/id-proxy', rvi: '4' };
const now = (targets: string[]): PendingNotification => ({ targets, attempts: 0, nextAttemptAt: 0 });

test('a result notification is an HTTP POST with the oneM2M Notify headers and {"m2m:rsp": ...} as JSON body', async () => {
  const target = await receiver(status(200, { 'X-M2M-RSC': '2000' }));
  const h = harness();
  await within(h.delivery.deliver(rsp, now([target.url]), h.saved), 'delivery');
  assert.equal(target.requests.length, 1);
  const [request] = target.requests;
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/notify/here?x=1');
  assert.equal(request.headers['x-m2m-origin'], '/id-proxy');
  assert.match(request.headers['x-m2m-ri'] as string, /^\S+$/);
  assert.notEqual(request.headers['x-m2m-ri'], rsp.rqi, 'a Notify is a request of its own, with its own request id');
  assert.equal(request.headers['x-m2m-rvi'], '4');
  assert.match(request.headers['x-m2m-ot'] as string, /^\d{8}T\d{6}$/);
  assert.equal(request.headers['content-type'], 'application/json', 'no ty=: that is what tells a Notify from a Create');
  assert.equal(request.headers.accept, 'application/json');
  assert.equal(Number(request.headers['content-length']), Buffer.byteLength(request.body));
  assert.deepEqual(JSON.parse(request.body), { 'm2m:rsp': rsp });
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[], 1]]);
  assert.equal(await h.count('delivered'), 1);
  assert.equal(await h.count('undeliverable'), 0);
});

test('without rvi in the result, X-M2M-RVI is the release the proxy follows; every attempt has a fresh X-M2M-RI', async () => {
  const target = await receiver(status(500), status(204));
  const h = harness();
  const { rvi: _rvi, ...withoutRvi } = rsp;
  await within(h.delivery.deliver(withoutRvi, now([target.url]), h.saved), 'delivery');
  assert.deepEqual(target.requests.map((r) => r.headers['x-m2m-rvi']), ['3', '3']);
  assert.notEqual(target.requests[0].headers['x-m2m-ri'], target.requests[1].headers['x-m2m-ri']);
});

test('a target that answered 500 and one that refused the connection are retried after the backoff, then delivered', async () => {
  const flaky = await receiver(status(500), status(200));
  const laterPort = await freePort();
  const late = new Receiver([status(201)]);
  opened.push(late);
  const lateUrl = `http://127.0.0.1:${laterPort}/late`;
  const h = harness({ backoffMs: 150 });
  const saved = async (state: PendingNotification): Promise<void> => {
    await h.saved(state);
    // The refused target starts listening only after the first attempt failed (saved() is awaited before the backoff).
    if (h.saves.length === 1) await late.listen(laterPort);
  };
  const started = Date.now();
  await within(h.delivery.deliver(rsp, now([flaky.url, lateUrl]), saved), 'delivery');

  assert.equal(h.saves.length, 2);
  assert.deepEqual(h.saves[0].targets, [flaky.url, lateUrl]);
  assert.equal(h.saves[0].attempts, 1);
  assert.ok(h.saves[0].nextAttemptAt >= started + 150, 'next attempt one backoff after the first');
  assert.deepEqual(h.saves[1].targets, []);
  assert.equal(h.saves[1].attempts, 2);
  assert.equal(flaky.requests.length, 2);
  assert.equal(late.requests.length, 1);
  assert.ok(flaky.requests[1].at >= h.saves[0].nextAttemptAt - 5, 'the retry waited for nextAttemptAt');
  assert.deepEqual(JSON.parse(late.requests[0].body), { 'm2m:rsp': rsp });
  assert.equal(await h.count('retried'), 2);
  assert.equal(await h.count('delivered'), 2);
  assert.equal(await h.count('undeliverable'), 0);
});

test('a target still failing after `retries` retries is given up: counted, logged once, saved() saw the list shrink', async () => {
  const good = await receiver(status(200));
  const bad = await receiver(status(503));
  const h = harness({ retries: 2, backoffMs: 30 });
  await within(h.delivery.deliver(rsp, now([bad.url, good.url]), h.saved), 'delivery');

  assert.equal(good.requests.length, 1);
  assert.equal(bad.requests.length, 3, 'one attempt and two retries');
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[bad.url], 1], [[bad.url], 2], [[], 3]]);
  const [first, second, third] = bad.requests.map((r) => r.at);
  assert.ok(second - first >= 30 - 5, `first backoff ${second - first} ms`);
  assert.ok(third - second >= 60 - 5, `second backoff doubled: ${third - second} ms`);
  assert.equal(await h.count('delivered'), 1);
  assert.equal(await h.count('retried'), 2);
  assert.equal(await h.count('undeliverable'), 1);
  const giveUps = h.logs.filter((l) => l.msg.includes('undeliverable'));
  assert.equal(giveUps.length, 1);
  assert.equal(giveUps[0].target, bad.url);
  assert.equal(giveUps[0].attempts, 3);
  assert.equal(giveUps[0].reason, 'HTTP 503');
});

test('delivered is HTTP 2xx, or an X-M2M-RSC 2xxx whatever the HTTP status', async () => {
  const odd = await receiver(status(403, { 'X-M2M-RSC': '2000' }));
  const plain = await receiver(status(202));
  const refusing = await receiver(status(403, { 'X-M2M-RSC': '4103' }));
  const h = harness({ retries: 0 });
  await within(h.delivery.deliver(rsp, now([odd.url, plain.url, refusing.url]), h.saved), 'delivery');
  assert.equal(await h.count('delivered'), 2);
  assert.equal(await h.count('undeliverable'), 1);
  assert.equal(h.logs.find((l) => l.target === refusing.url)?.reason, 'HTTP 403 with X-M2M-RSC 4103');
});

test('a receiver that never answers costs one attempt timeout; an endless body, a redirect and a huge header do not stall', async () => {
  const silent = await receiver(never());
  const endless = await receiver((res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const drip = setInterval(() => res.write('x'.repeat(1024)), 5);
    res.on('close', () => clearInterval(drip));
  });
  const elsewhere = await receiver(status(200));
  const redirecting = await receiver(status(307, { Location: elsewhere.url }));
  const bloated = await receiver(status(200, { 'X-Padding': 'x'.repeat(64 * 1024) }));
  const h = harness({ retries: 0, attemptTimeoutMs: 300 });
  const started = Date.now();
  await within(h.delivery.deliver(rsp, now([silent.url, endless.url, redirecting.url, bloated.url]), h.saved), 'delivery');

  assert.ok(Date.now() - started >= 300 - 5, 'waited for the silent receiver up to the attempt timeout');
  assert.equal(elsewhere.requests.length, 0, 'redirect not followed');
  assert.equal(await h.count('delivered'), 1, 'the endless body is not read: its 200 is enough');
  assert.equal(await h.count('undeliverable'), 3);
  const reasons = Object.fromEntries(h.logs.filter((l) => l.target).map((l) => [l.target, l.reason]));
  assert.match(reasons[silent.url]!, /no answer within 300 ms/);
  assert.match(reasons[redirecting.url]!, /HTTP 307/);
  assert.ok(reasons[bloated.url], 'an answer whose headers exceed the limit fails');
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[], 1]]);
});

test('targets that are not http(s) URLs are given up at once; the others are still delivered', async () => {
  const target = await receiver(status(200));
  const h = harness({ backoffMs: 60_000 });
  const unreachable = ['CAdmin', '/id-in/CAE1', 'mqtt://broker.example/onem2m', 'coap://[::1]/n'];
  await within(h.delivery.deliver(rsp, now([...unreachable, target.url]), h.saved), 'delivery');
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[target.url], 0], [[], 1]]);
  assert.equal(await h.count('undeliverable'), 4);
  assert.equal(await h.count('delivered'), 1);
  assert.deepEqual(h.logs.filter((l) => l.msg.includes('undeliverable')).map((l) => l.target), unreachable);
});

test('only unreachable targets: given up without any attempt, saved once with nothing left', async () => {
  const h = harness();
  await within(h.delivery.deliver(rsp, now(['CAdmin']), h.saved), 'delivery');
  assert.deepEqual(h.saves, [{ targets: [], attempts: 0, nextAttemptAt: 0 }]);
  assert.equal(await h.count('undeliverable'), 1);
});

test('resuming a saved state: attempts already made count, and the next attempt waits for nextAttemptAt', async () => {
  const target = await receiver(status(500));
  const h = harness({ retries: 2, backoffMs: 10 });
  const resumeAt = Date.now() + 250;
  await within(h.delivery.deliver(rsp, { targets: [target.url], attempts: 2, nextAttemptAt: resumeAt }, h.saved), 'delivery');
  assert.equal(target.requests.length, 1, 'only the last retry was left');
  assert.ok(target.requests[0].at >= resumeAt - 5);
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[], 3]]);
  assert.equal(await h.count('undeliverable'), 1);
});

test('resuming a state whose retries are all used gives its targets up without sending', async () => {
  const target = await receiver(status(200));
  const h = harness({ retries: 1 });
  await within(h.delivery.deliver(rsp, { targets: [target.url], attempts: 2, nextAttemptAt: 0 }, h.saved), 'delivery');
  assert.equal(target.requests.length, 0);
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[], 2]]);
  assert.equal(await h.count('undeliverable'), 1);
});

test('close() during a backoff resolves deliver() at once and sends nothing more', async () => {
  const target = await receiver(status(500));
  const h = harness({ backoffMs: 120_000 });
  const delivering = h.delivery.deliver(rsp, now([target.url]), h.saved);
  await within(target.received(1), 'first attempt');
  while (h.saves.length === 0) await new Promise((resolve) => setImmediate(resolve));
  h.delivery.close();
  await within(delivering, 'deliver() after close()');
  assert.equal(target.requests.length, 1);
  assert.deepEqual(h.saves.map((s) => [s.targets, s.attempts]), [[[target.url], 1]], 'the saved state still holds the target');
});

test('close() during an attempt ends it without saving; deliver() after close() does nothing', async () => {
  const target = await receiver(never());
  const h = harness({ attemptTimeoutMs: 120_000 });
  const delivering = h.delivery.deliver(rsp, now([target.url]), h.saved);
  await within(target.received(1), 'attempt');
  h.delivery.close();
  await within(delivering, 'deliver() after close()');
  assert.deepEqual(h.saves, []);
  await within(h.delivery.deliver(rsp, now([target.url, 'CAdmin']), h.saved), 'deliver() on a closed delivery');
  assert.equal(target.requests.length, 1);
  assert.deepEqual(h.saves, []);
  assert.equal(await h.count('undeliverable'), 0, 'nothing given up either: the saved state stays for the next start');
});

test('a saved() that rejects is logged and delivery goes on', async () => {
  const target = await receiver(status(500), status(200));
  const h = harness({ backoffMs: 10 });
  let calls = 0;
  await within(h.delivery.deliver(rsp, now([target.url]), async () => {
    calls += 1;
    throw new Error('disk full');
  }), 'delivery');
  assert.equal(calls, 2);
  assert.equal(target.requests.length, 2);
  assert.equal(await h.count('delivered'), 1);
  assert.equal(h.logs.filter((l) => l.msg.includes('not saved')).length, 2);
});

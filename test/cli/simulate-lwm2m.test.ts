import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Server as CoapServer, type IncomingMessage, type OutgoingMessage } from 'coap';
import { oneM2M, startProxy, wrap } from '../management/managed-devices.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { eventually } from '../lwm2m/helpers.js';
import { ObserverPeer } from '../sim-selftest/observer-peer.js';
import { downlink, startTestPeer } from '../sim-selftest/test-peer.js';
import { SimulatorProcess, type SimLine } from './simulator-process.js';

const PACKAGE_BYTES = 300_000;

async function registeredEndpoints(proxy: TestProxy): Promise<string[]> {
  const response = await proxy.request('GET', '/admin/lwm2m/registrations');
  assert.equal(response.status, 200);
  return ((await response.json()) as Array<{ endpoint: string }>).map((registration) => registration.endpoint).sort();
}

const is = (event: string, endpoint?: string) => (line: SimLine) => line.event === event && (endpoint === undefined || line.endpoint === endpoint);

describe('dm-proxy simulate lwm2m', () => {
  let proxy: TestProxy;
  let server: string;
  const running: SimulatorProcess[] = [];
  const simulate = (...args: string[]): SimulatorProcess => {
    const simulator = new SimulatorProcess(['lwm2m', ...args]);
    running.push(simulator);
    return simulator;
  };
  before(async () => {
    proxy = await startProxy();
    server = `coap://127.0.0.1:${proxy.coapPort}`;
  });
  after(async () => {
    for (const simulator of running) simulator.kill();
    await proxy.stop(true);
  });

  it('registers one device, which the proxy publishes; Ctrl-C de-registers it and exits 0', async () => {
    const simulator = simulate('--endpoint', 'urn:imei:cli-1', '--server', server, '--lifetime', '120');
    const registered = await simulator.waitFor(is('registered'), 'registered line');
    assert.equal(registered.endpoint, 'urn:imei:cli-1');
    assert.equal(registered.server, server);
    assert.match(String(registered.location), /^\/rd\//);
    assert.deepEqual(await registeredEndpoints(proxy), ['urn:imei:cli-1']);
    const battery = await oneM2M(proxy, 'GET', '/proxy/imei:cli-1/battery');
    assert.equal(battery.rsc, 2000, battery.dbg);
    await simulator.waitFor((line) => line.event === 'read' && line.path === '/3/0' && line.code === '2.05', 'read line');

    assert.equal(await simulator.stop('SIGINT'), 0);
    assert.deepEqual(simulator.lines.at(-1), { ...simulator.lines.at(-1), event: 'deregistered', endpoint: 'urn:imei:cli-1', code: '2.02' });
    assert.deepEqual(await registeredEndpoints(proxy), []);
  });

  it('--count 3 starts <endpoint>-1 … -3, each sending an Update every half lifetime; SIGTERM de-registers all three', async () => {
    const simulator = simulate('--endpoint', 'urn:dev:fleet', '--count', '3', '--server', server, '--lifetime', '2');
    await Promise.all([1, 2, 3].map((n) => simulator.waitFor(is('registered', `urn:dev:fleet-${n}`), `device ${n} registered`)));
    await Promise.all([1, 2, 3].map((n) => simulator.waitFor(is('updated', `urn:dev:fleet-${n}`), `device ${n} updated`)));
    assert.deepEqual(await registeredEndpoints(proxy), ['urn:dev:fleet-1', 'urn:dev:fleet-2', 'urn:dev:fleet-3']);
    assert.equal(await simulator.stop('SIGTERM'), 0);
    assert.deepEqual(simulator.lines.filter(is('deregistered')).map((line) => line.endpoint).sort(), ['urn:dev:fleet-1', 'urn:dev:fleet-2', 'urn:dev:fleet-3']);
    assert.deepEqual(await registeredEndpoints(proxy), []);
  });

  it('fetches firmware written through the proxy over http and coap, reports progress, and the CSE sees the download finish', async (t) => {
    const http = createServer((req, res) => {
      if (req.url !== '/fw-2.0.bin') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': PACKAGE_BYTES }).end(Buffer.alloc(PACKAGE_BYTES, 1));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const coap = new CoapServer({ type: 'udp4' });
    coap.on('request', (_req: IncomingMessage, res: OutgoingMessage) => res.end(Buffer.alloc(4000, 2)));
    await new Promise<void>((resolve) => coap.listen(0, '127.0.0.1', () => resolve()));
    t.after(() => {
      http.close();
      coap.close();
    });
    const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fw-2.0.bin`;
    const coapUrl = `coap://127.0.0.1:${(coap._sock as import('node:dgram').Socket).address().port}/fw-3.0.bin`;

    const simulator = simulate('--endpoint', 'urn:imei:cli-fw', '--server', server);
    await simulator.waitFor(is('registered'), 'registered line');
    const firmware = '/proxy/imei:cli-fw/firmware';
    const udsOf = async () => (await oneM2M(proxy, 'GET', firmware)).body.uds as { acn: string; sus: number } | undefined;

    for (const url of [httpUrl, coapUrl]) {
      const written = await oneM2M(proxy, 'PUT', firmware, wrap('firmware', { url }));
      assert.equal(written.rsc, 2004, written.dbg);
      const finished = await simulator.waitFor((line) => line.event === 'download' && line.phase === 'finished' && line.uri === url, `download of ${url}`);
      assert.equal(finished.target, '/5/0');
      const downloaded = await eventually(async () => {
        const uds = await udsOf();
        return uds?.acn === 'url' && uds.sus === 1 ? uds : undefined;
      }, 20_000, 'uds to show the download finished');
      assert.deepEqual(downloaded, { acn: 'url', sus: 1 });
    }
    assert.equal(simulator.lines.find((line) => line.event === 'download' && line.phase === 'finished' && line.uri === httpUrl)?.bytes, PACKAGE_BYTES);
    assert.equal(simulator.lines.find((line) => line.event === 'download' && line.phase === 'finished' && line.uri === coapUrl)?.bytes, 4000);
    const progress = simulator.lines.filter((line) => line.event === 'download' && line.phase === 'progress' && line.uri === httpUrl);
    assert.ok(progress.length > 0 && progress.every((line) => line.total === PACKAGE_BYTES), 'progress lines with the announced size');

    const update = await oneM2M(proxy, 'PUT', firmware, wrap('firmware', { ud: true }));
    assert.equal(update.rsc, 2004, update.dbg);
    await simulator.waitFor((line) => line.event === 'executed' && line.path === '/5/0/2' && line.code === '2.04', 'executed line');
    await eventually(
      async () => {
        const uds = await udsOf();
        return uds?.acn === 'ud' && uds.sus === 1 ? true : undefined;
      },
      20_000,
      'uds to show the update succeeded',
    );
    assert.equal(await simulator.stop(), 0);
  });

  it('a sim: URL downloads at once; a package the server lacks shows as a failed download', async (t) => {
    const http = createServer((_req, res) => void res.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    t.after(() => http.close());
    const simulator = simulate('--endpoint', 'urn:imei:cli-sim', '--server', server);
    await simulator.waitFor(is('registered'), 'registered line');
    const firmware = '/proxy/imei:cli-sim/firmware';
    const missing = `http://127.0.0.1:${(http.address() as AddressInfo).port}/missing.bin`;
    assert.equal((await oneM2M(proxy, 'PUT', firmware, wrap('firmware', { url: missing }))).rsc, 2004);
    const failed = await simulator.waitFor((line) => line.event === 'download' && line.phase === 'failed', 'failed download');
    assert.equal(failed.failure, 'invalid-uri');
    await eventually(async () => {
      const { uds } = (await oneM2M(proxy, 'GET', firmware)).body;
      return uds?.acn === 'url' && uds.sus === 2 ? true : undefined;
    }, 20_000, 'uds to show the failed download');
    assert.equal((await oneM2M(proxy, 'PUT', firmware, wrap('firmware', { url: 'sim:demo' }))).rsc, 2004);
    await simulator.waitFor((line) => line.event === 'download' && line.phase === 'finished' && line.uri === 'sim:demo', 'sim: download');
    assert.equal(await simulator.stop(), 0);
  });

  it('prints observed, notified and observe-cancelled lines when a server observes the firmware State', async (t) => {
    const lwm2mServer = await startTestPeer();
    const observer = await ObserverPeer.open();
    t.after(() => {
      lwm2mServer.close();
      observer.close();
    });
    const simulator = simulate('--endpoint', 'urn:imei:cli-observe', '--server', `coap://127.0.0.1:${lwm2mServer.port}`);
    await simulator.waitFor(is('registered'), 'registered line');
    const device = { address: '127.0.0.1', port: lwm2mServer.received.find((request) => request.path === '/rd')!.sourcePort };
    const state = await observer.observe(device, '/5/0/3');
    assert.equal(state.first.text, '0');
    await simulator.waitFor((line) => line.event === 'observed' && line.path === '/5/0/3', 'observed line');
    assert.equal((await downlink(device, { method: 'PUT', path: '/5/0/1', contentFormat: 0, payload: 'sim:fw' })).code, '2.04');
    const downloaded = await simulator.waitFor((line) => line.event === 'notified' && line.path === '/5/0/3' && line.value === '2', 'notified line for State 2');
    assert.equal(typeof downloaded.observe, 'number');
    state.cancel();
    const cancelled = await simulator.waitFor(is('observe-cancelled'), 'observe-cancelled line');
    assert.deepEqual([cancelled.path, cancelled.how], ['/5/0/3', 'observe-1']);
    assert.equal(await simulator.stop(), 0);
  });

  it('reports an unreachable server and keeps retrying until stopped', async () => {
    const silent = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const simulator = simulate('--endpoint', 'urn:imei:cli-lonely', '--server', `coap://127.0.0.1:${silent}`);
    const unreachable = await simulator.waitFor(is('unreachable'), 'unreachable line');
    assert.equal(unreachable.server, `coap://127.0.0.1:${silent}`);
    assert.equal(await simulator.stop(), 0);
    assert.equal(simulator.lines.some(is('registered')), false);
  });

  it('refuses bad flags with exit 2 and usage, DTLS flags as not supported yet, a refused registration with exit 1', async () => {
    for (const args of [[], ['--endpoint', 'x', '--count', '0'], ['--endpoint', 'x', '--server', 'http://127.0.0.1:1'], ['--endpoint', 'x', '--lifetime', 'soon'], ['--endpoint', 'x', '--bogus']]) {
      const simulator = simulate(...args);
      assert.equal(await simulator.exit(), 2, args.join(' '));
      assert.match(simulator.stderr, /Usage:\n {2}dm-proxy simulate lwm2m --endpoint/);
    }
    const psk = simulate('--endpoint', 'x', '--psk-identity', 'id', '--psk-key', '00ff');
    assert.equal(await psk.exit(), 2);
    assert.match(psk.stderr, /not supported yet/);

    const denying = await startProxy({ LWM2M_ENDPOINT_DENY: '^urn:imei:denied' });
    try {
      const refused = simulate('--endpoint', 'urn:imei:denied', '--server', `coap://127.0.0.1:${denying.coapPort}`);
      assert.equal(await refused.exit(), 1);
      assert.match(String((await refused.waitFor(is('register-refused'), 'refusal')).code), /^4\./);
    } finally {
      await denying.stop(true);
    }
  });
});

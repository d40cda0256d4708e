import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Server as CoapServer, type IncomingMessage, type OutgoingMessage } from 'coap';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import type { DownloadEvent } from '../../src/sim/lwm2m/index.js';
import { downlink, eventually, withSimulatedDevice } from './test-peer.js';

const PACKAGE = Buffer.alloc(200_000, 0x5a);
const timing = { downloadMs: 20, updateMs: 20, installMs: 20, rebootMs: 50 };
const WAIT_MS = 20_000;

/** Serves PACKAGE at /fw.bin (with Content-Length), 404 elsewhere. */
async function startHttpRepository(): Promise<{ url: (path: string) => string; close: () => Promise<void> }> {
  const server: HttpServer = createServer((req, res) => {
    if (req.url !== '/fw.bin') return void res.writeHead(404).end('no such package');
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': PACKAGE.length });
    res.end(PACKAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Serves `size` bytes at /fw/<size> over CoAP (node-coap sends them in Block2 blocks), 4.04 elsewhere. */
async function startCoapRepository(): Promise<{ url: (path: string) => string; close: () => void }> {
  const server = new CoapServer({ type: 'udp4' });
  server.on('request', (req: IncomingMessage, res: OutgoingMessage) => {
    const match = /^\/fw\/(\d+)$/.exec(req.url);
    if (!match) {
      res.code = '4.04';
      return void res.end();
    }
    res.end(Buffer.alloc(Number(match[1]), 0xa5));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server._sock as import('node:dgram').Socket).address().port;
  return { url: (path) => `coap://127.0.0.1:${port}${path}`, close: () => server.close() };
}

async function unusedTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function writeUri(address: { address: string; port: number }, path: string, uri: string) {
  return downlink(address, { method: 'PUT', path, contentFormat: ContentFormat.TEXT, payload: uri });
}

describe('simulated device: package URIs are really fetched', () => {
  it('downloads firmware over http with progress, then updates', async (t) => {
    const repository = await startHttpRepository();
    t.after(() => repository.close());
    await withSimulatedDevice({ endpoint: 'fw-http', timing }, async (device) => {
      const events: DownloadEvent[] = [];
      device.on('download', (event: DownloadEvent) => events.push(event));
      assert.equal((await writeUri(device.address(), '/5/0/1', repository.url('/fw.bin'))).code, '2.04');
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [2, 0]), WAIT_MS);
      assert.deepEqual(events[0], { phase: 'started', target: '/5/0', uri: repository.url('/fw.bin') });
      assert.deepEqual(events.at(-1), { phase: 'finished', target: '/5/0', uri: repository.url('/fw.bin'), bytes: PACKAGE.length });
      const progress = events.filter((event) => event.phase === 'progress');
      assert.ok(progress.length >= 1 && progress.length <= 10, `one progress event per tenth at most, got ${progress.length}`);
      assert.ok(progress.every((event) => event.total === PACKAGE.length));
      assert.equal((await downlink(device.address(), { method: 'POST', path: '/5/0/2' })).code, '2.04');
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 1]), WAIT_MS);
    });
  });

  it('ends with Update Result 7 for a package the server does not have, 4 for a server that is not there', async (t) => {
    const repository = await startHttpRepository();
    t.after(() => repository.close());
    const closedPort = await unusedTcpPort();
    await withSimulatedDevice({ endpoint: 'fw-http-bad', timing }, async (device) => {
      const failures: DownloadEvent[] = [];
      device.on('download', (event: DownloadEvent) => event.phase === 'failed' && failures.push(event));
      await writeUri(device.address(), '/5/0/1', repository.url('/missing.bin'));
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 7]), WAIT_MS);
      assert.match(failures[0]?.phase === 'failed' ? failures[0].reason : '', /HTTP 404/);
      await writeUri(device.address(), '/5/0/1', `http://127.0.0.1:${closedPort}/fw.bin`);
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 4]), WAIT_MS);
    });
  });

  it('downloads firmware over coap in Block2 blocks; a missing coap resource gives Result 7', async (t) => {
    const repository = await startCoapRepository();
    t.after(() => repository.close());
    await withSimulatedDevice({ endpoint: 'fw-coap', timing }, async (device) => {
      const finished: DownloadEvent[] = [];
      device.on('download', (event: DownloadEvent) => event.phase === 'finished' && finished.push(event));
      await writeUri(device.address(), '/5/0/1', repository.url('/fw/5000'));
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [2, 0]), WAIT_MS);
      assert.equal(finished[0]?.phase === 'finished' && finished[0].bytes, 5000, 'the whole package, reassembled from its blocks');
      await writeUri(device.address(), '/5/0/1', repository.url('/nothing'));
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [0, 7]), WAIT_MS);
    });
  });

  it('a sim: URL completes without a transfer', () =>
    withSimulatedDevice({ endpoint: 'fw-sim', timing }, async (device) => {
      await writeUri(device.address(), '/5/0/1', 'sim:demo-firmware');
      await eventually(() => assert.deepEqual([device.value('/5/0/3'), device.value('/5/0/5')], [2, 0]), WAIT_MS);
    }));

  it('downloads software over http to DELIVERED; a missing package gives Result 56, an unreachable server 52', async (t) => {
    const repository = await startHttpRepository();
    t.after(() => repository.close());
    const closedPort = await unusedTcpPort();
    await withSimulatedDevice({ endpoint: 'sw-http', timing, objects: ['/9/0', '/9/1', '/9/2', '/9/3'] }, async (device) => {
      await writeUri(device.address(), '/9/1/3', repository.url('/fw.bin'));
      await writeUri(device.address(), '/9/2/3', repository.url('/missing.pkg'));
      await writeUri(device.address(), '/9/3/3', `http://127.0.0.1:${closedPort}/app.pkg`);
      await eventually(() => {
        assert.deepEqual([device.value('/9/1/7'), device.value('/9/1/9')], [3, 3]);
        assert.deepEqual([device.value('/9/2/7'), device.value('/9/2/9')], [0, 56]);
        assert.deepEqual([device.value('/9/3/7'), device.value('/9/3/9')], [0, 52]);
      }, WAIT_MS);
    });
  });
});

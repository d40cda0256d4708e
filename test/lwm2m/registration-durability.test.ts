import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RawCoapClient } from './raw-coap.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const ENDPOINTS = 200;

/** The proxy as its own process on `dataDir`; resolves with its ports once it logs that it started. */
async function startProxyProcess(dataDir: string): Promise<{ child: ChildProcess; coapPort: number; httpPort: number }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', HTTP_PORT: '0', COAP_PORT: '0', BOOTSTRAP_PORT: '0', DM_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg: string; listeners?: Array<{ name: string; port: number }> };
    if (entry.msg !== 'proxy started') continue;
    child.stdout!.resume();
    const port = (name: string) => entry.listeners!.find((listener) => listener.name === name)!.port;
    return { child, coapPort: port('lwm2m-server'), httpPort: port('http') };
  }
  throw new Error('the proxy ended before it started');
}

test('registrations acknowledged just before a kill -9 are all there after the restart', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-kill-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startProxyProcess(dataDir);
  t.after(() => first.child.kill('SIGKILL'));
  const client = new RawCoapClient(first.coapPort);
  const registered = await Promise.all(Array.from({ length: ENDPOINTS }, (_, i) =>
    client.request(i + 1, ['rd'], [`ep=kill-test-${i}`, 'lt=3600', 'b=U'], '</1/0>,</3/0>,</5/0>')));
  const exited = once(first.child, 'exit');
  first.child.kill('SIGKILL');
  await exited;
  await client.close();
  assert.deepEqual(registered.map((answer) => answer.code), registered.map(() => '2.01'));

  const second = await startProxyProcess(dataDir);
  t.after(() => second.child.kill('SIGKILL'));
  const after = new RawCoapClient(second.coapPort);
  t.after(() => after.close());
  const updates = await Promise.all(registered.map((answer, i) => after.request(i + 1, answer.location)));
  assert.deepEqual(updates.map((answer) => answer.code), registered.map(() => '2.04'), 'every acknowledged registration survived');
  const discovered = await fetch(`http://127.0.0.1:${second.httpPort}/proxy/kill-test-${ENDPOINTS - 1}?fu=1&ty=13`, { headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'kill-1', Accept: 'application/json' } });
  assert.equal(discovered.status, 200);
  const { 'm2m:uril': uril } = (await discovered.json()) as { 'm2m:uril': string[] };
  assert.deepEqual(uril.map((path) => path.split('/').at(-1)).sort(), ['battery', 'deviceInfo', 'firmware', 'memory', 'reboot'], 'and so did its device in the resource tree');
});

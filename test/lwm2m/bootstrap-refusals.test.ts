import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadSettings, startProxy } from '../../src/app.js';
import { startSimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { BootstrapFailureLog, type BootstrapFailure } from '../../src/lwm2m/bootstrap/bootstrap-failures.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { ADMIN_HEADERS } from './helpers.js';

/** Issue 8 point 12: a Bootstrap-Request nobody configured is refused visibly (admin API and log), not silently. */

test('a Bootstrap-Request without a configuration gets 4.00, is listed in bootstrap-failures and logged as a warning', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-bs-refusal-'));
  const settings = loadSettings({ HTTP_PORT: '0', COAP_PORT: '0', BOOTSTRAP_PORT: '0', DM_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const proxy = await startProxy(settings, pino({ level: 'warn' }, logStream));
  t.after(async () => {
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const device = await startSimulatedDevice({ endpoint: 'urn:dev:unconfigured' });
  t.after(() => device.close());
  const outcome = await device.bootstrap({ host: '127.0.0.1', port: proxy.listeners['lwm2m-bootstrap'].port });
  assert.equal(outcome.requestCode, '4.00');

  const response = await fetch(`http://127.0.0.1:${proxy.listeners.http.port}/admin/lwm2m/bootstrap-failures`, { headers: ADMIN_HEADERS });
  assert.equal(response.status, 200);
  const failures = (await response.json()) as Array<Record<string, unknown>>;
  const { port } = device.address();
  assert.equal(failures.length, 1);
  assert.deepEqual({ ...failures[0], at: undefined }, {
    endpoint: 'urn:dev:unconfigured', at: undefined, stage: 'request', code: '4.00', reason: 'no configuration', client: `coap://127.0.0.1:${port}`,
  });
  assert.ok(!Number.isNaN(Date.parse(String(failures[0].at))), 'the time of the refusal');

  const warning = lines.find((line) => line.endpoint === 'urn:dev:unconfigured');
  assert.ok(warning, `a log line names the endpoint: ${JSON.stringify(lines)}`);
  assert.equal(warning.level, 40, 'warn');
  assert.equal(warning.client, `coap://127.0.0.1:${port}`);
  assert.match(String(warning.msg), /Bootstrap-Request refused: no configuration/);
});

test('the failures kept are bounded: a new endpoint beyond the capacity replaces the oldest, a known one only its own entry', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-bs-failures-'));
  const store = openSqliteStore(dataDir);
  t.after(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const log = new BootstrapFailureLog(store, 3);
  const failure = (endpoint: string, second: number): BootstrapFailure => ({
    endpoint, at: `2026-12-02T08:00:${String(second).padStart(2, '0')}.000Z`, stage: 'request', code: '4.00', reason: 'no configuration', client: 'coap://127.0.0.1:1',
  });
  for (const [second, endpoint] of ['a', 'b', 'c'].entries()) await log.record(failure(endpoint, second));
  await log.record(failure('a', 10));
  assert.deepEqual((await log.list()).map((kept) => kept.endpoint).sort(), ['a', 'b', 'c'], 'a known endpoint replaces its own entry');
  await log.record(failure('d', 11));
  await log.record(failure('e', 12));
  assert.deepEqual((await log.list()).map((kept) => kept.endpoint).sort(), ['a', 'd', 'e'], 'b and c, the oldest, made room');
});

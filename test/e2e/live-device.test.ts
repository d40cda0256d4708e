import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../lwm2m/helpers.js';
import { attachDevice, oneM2M, startProxy } from '../management/managed-devices.js';

const SHIPPED_MAPPINGS = new URL('../../../mappings', import.meta.url).pathname;

test('a node read with rcn=4 carries its mgmtObjs with live device values', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());
  device.setValue('/3/0/9', 42);

  const answer = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
  assert.equal(answer.rsc, 2000, answer.dbg);
  const battery = (answer.body['m2m:bat'] as Array<Record<string, unknown>>)?.[0];
  assert.ok(battery, `no battery child in ${JSON.stringify(answer.body)}`);
  assert.equal(battery.btl, 42);
  const memory = (answer.body['m2m:mem'] as Array<Record<string, unknown>>)?.[0];
  assert.equal(memory.mmt, Number(device.value('/3/0/21')) * 1000, 'memory total in bytes');

  device.setValue('/3/0/9', 17);
  const again = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
  assert.equal((again.body['m2m:bat'] as Array<Record<string, unknown>>)[0].btl, 17, 'read from the device again, not from a cache');
});

test('editing a status table changes the next answer without a restart; a broken edit changes nothing but the failure counter', async (t) => {
  const mappingsDir = mkdtempSync(join(tmpdir(), 'dm-proxy-live-mappings-'));
  cpSync(SHIPPED_MAPPINGS, mappingsDir, { recursive: true });
  t.after(() => rmSync(mappingsDir, { recursive: true, force: true }));
  const proxy = await startProxy({ MAPPINGS_DIR: mappingsDir });
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());

  const readNotFound = async () => {
    device.answerWith('/3/0', '4.04');
    return oneM2M(proxy, 'GET', `${node}/battery`);
  };
  assert.equal((await readNotFound()).rsc, 6005, 'shipped table: read 4.04 is error - not found');

  const file = join(mappingsDir, 'status', 'lwm2m.yaml');
  const shipped = readFileSync(file, 'utf8');
  const readNotFoundRow = '      - code: "4.04"\n        label: error - not found\n        description: URI of “Read” operation is not found.';
  assert.ok(shipped.includes(readNotFoundRow), 'the read 4.04 row this test edits is still shipped');
  writeFileSync(file, shipped.replace(readNotFoundRow, readNotFoundRow.replace('error - not found', 'error - not allowed')));
  await eventually(async () => ((await readNotFound()).rsc === 4005 ? true : undefined), 10_000, 'the edited row to answer');

  writeFileSync(file, shipped.replace(readNotFoundRow, readNotFoundRow.replace('error - not found', 'error - no such label')));
  const metricsAfterBrokenEdit = await eventually(async () => {
    const text = await (await fetch(proxy.url('/metrics'))).text();
    return /mappings_reload_failures_total(\{[^}]*\})? 1\b/.test(text) ? text : undefined;
  }, 10_000, 'the reload failure to be counted');
  assert.ok(metricsAfterBrokenEdit);
  assert.equal((await readNotFound()).rsc, 4005, 'the last good set stays in service');
  const health = await fetch(proxy.url('/healthz'));
  assert.equal(health.status, 200);
  const details = (await health.json()) as { mappings: { lastErrors: string[] } };
  assert.match(details.mappings.lastErrors.join('\n'), /lwm2m\.yaml:\d+/);
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadMappings } from '../../../src/mappings/loader.js';
import type { MappingService } from '../../../src/mappings/types.js';
import { createDmAdapter } from '../../../src/omadm/v13/adapter/index.js';
import type { Status } from '../../../src/omadm/v13/codec/index.js';
import { DmCommandQueue, type QueuedDmCommand } from '../../../src/omadm/v13/session/command-queue.js';
import { DeviceWaker } from '../../../src/omadm/common/trigger/device-waker.js';
import { NO_TRIGGER } from '../../../src/omadm/common/trigger/session-trigger.js';
import { SimulatedDmDevice } from '../../../src/sim/omadm/index.js';
import type { RecordStore } from '../../../src/store/record-store.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { startProxyProcess } from '../../helpers/proxy-process.js';
import { eventually } from '../../lwm2m/helpers.js';
import { wrap } from '../../management/managed-devices.js';
import { CREDENTIALS, admin } from '../server/dm-test-kit.js';
import { UPPER_BOUND_MS, managedDmDevice, oneM2M } from './dm-adapter-kit.js';

class MemoryRecords<T> implements RecordStore<T> {
  private readonly values = new Map<string, string>();
  async get(key: string) {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async put(key: string, value: T) {
    this.values.set(key, JSON.stringify(value));
  }
  async delete(key: string) {
    return this.values.delete(key);
  }
  async list() {
    return [...this.values].map(([key, text]) => ({ key, value: JSON.parse(text) as T }));
  }
}

test('two live requests with the same X-M2M-RI each get their own command; the device and the stored values agree', async (t) => {
  const DEV = 'IMEI:7003';
  const dm = await managedDmDevice(t, DEV);
  const put = (url: string) => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url }), { 'X-M2M-RI': 'same', 'X-M2M-RET': '20000' });
  const first = put('http://fw.example/A');
  await eventually(async () => ((await dm.omadm.commandQueue.waiting(DEV)).length === 1 ? true : undefined), UPPER_BOUND_MS, 'A queued');
  const second = put('http://fw.example/B');
  await eventually(async () => ((await dm.omadm.commandQueue.waiting(DEV)).length === 2 ? true : undefined), UPPER_BOUND_MS, 'B queued as well');
  assert.equal((await dm.sim.openSession()).result, 'completed');
  const answers = await Promise.all([first, second]);
  assert.deepEqual(answers.map((answer) => answer.rsc), [2004, 2004], answers.map((answer) => answer.dbg).join('; '));
  const stored = await oneM2M(dm.proxy, 'GET', `${dm.node}?rcn=8`);
  const firmware = (stored.body['m2m:fwr'] as Array<Record<string, unknown>>)[0];
  assert.equal(firmware.url, dm.sim.value('./FUMO/DownloadAndUpdate/PkgURL'));
});

test('a device that answers a whole Atomic with one Status (no inner Status) is reported with that code', async () => {
  const loaded = loadMappings('mappings', 'default');
  assert.ok(loaded.ok);
  const mappings = { current: () => loaded.set } as unknown as MappingService;
  const queue = new DmCommandQueue(new MemoryRecords<QueuedDmCommand[]>());
  const dm = createDmAdapter({
    queue,
    mappings,
    logger: pino({ level: 'silent' }),
    knows: async () => true,
    waker: new DeviceWaker(NO_TRIGGER, async () => true),
    sentInSession: async () => [],
    directory: { upsertDevice: async () => undefined, upsertMgmtObjs: async () => undefined, setOnline: async () => undefined, cacheReportedAttributes: async () => undefined },
    inventoryTimeoutMs: 1000,
  });
  const ctx = { requestId: 'r1', originator: 'CAdmin', deadline: Date.now() + 10_000, signal: new AbortController().signal, progress() {} };
  const call = dm.adapter.create({ protocol: 'omadm13', deviceId: 'IMEI:1', nodeRi: 'n' }, { type: 'software', ri: 'sw1', rn: 'software-app', attrs: { url: 'http://x/app.pkg' } }, ctx);
  const [entry] = await eventually(async () => {
    const waiting = await queue.waiting('IMEI:1');
    return waiting.length > 0 ? waiting : undefined;
  }, UPPER_BOUND_MS, 'the Atomic queued');
  assert.equal(entry.command.kind, 'Atomic');
  await queue.remove('IMEI:1', [entry.id]);
  dm.events.commandsSent('IMEI:1', [entry]);
  const status: Status = { kind: 'Status', cmdId: '2', msgRef: '1', cmdRef: '3', cmd: 'Atomic', targetRefs: [], sourceRefs: [], items: [], data: 406 };
  await dm.events.commandAnswered('IMEI:1', entry, { statuses: [status], results: [], cmdIds: ['3', '4', '5'] });
  const report = await call;
  assert.equal(report.code, '406', `${report.code} ${report.detail}`);
});

test('after a crash, the rerun non-blocking Update takes over its queued Exec and completes with the device\'s Generic Alert', async (t) => {
  const DEV = 'IMEI:7002';
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-crash-'));
  const first = await startProxyProcess({ DATA_DIR: dataDir });
  t.after(() => {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${first.ports.http}`;
  const dmPort = first.ports['omadm-http'];
  const headers = { 'X-M2M-Origin': 'CAdmin', 'Content-Type': 'application/json', Accept: 'application/json' };
  const put = await fetch(`${base}/admin/omadm/devices/${encodeURIComponent(DEV)}`, { method: 'PUT', headers, body: JSON.stringify(CREDENTIALS) });
  assert.ok(put.status < 300, `${put.status} ${await put.text()}`);
  const sim = new SimulatedDmDevice({ server: `http://127.0.0.1:${dmPort}/dm`, devId: DEV, version: '1.3', user: CREDENTIALS.client.user, secret: CREDENTIALS.client.secret, serverSecret: CREDENTIALS.server.secret, auth: 'md5' });
  t.after(() => sim.close());
  assert.equal((await sim.openSession()).result, 'completed');
  const accepted = await fetch(`${base}/proxy/${DEV}/firmware?rt=1`, {
    method: 'PUT',
    headers: { ...headers, 'X-M2M-RI': 'crash-1', 'X-M2M-RET': '120000' },
    body: JSON.stringify(wrap('firmware', { url: 'http://fw.example/2.0.0', ud: true })),
  });
  assert.equal(accepted.headers.get('x-m2m-rsc'), '1001');
  const queued = async (url: string) => ((await (await fetch(url, { headers })).json()) as { queued: number }).queued;
  await eventually(async () => ((await queued(`${base}/admin/omadm/devices/${encodeURIComponent(DEV)}`)) === 1 ? true : undefined), UPPER_BOUND_MS, 'queued');
  first.child.kill('SIGKILL'); // nothing withdraws the queued Sequence
  await once(first.child, 'exit');

  const proxy = await startTestProxy({ DM_PORT: String(dmPort) }, dataDir);
  t.after(() => proxy.stop(true));
  // the rerun request waits for the device: then the session may come
  await eventually(async () => {
    const health = (await (await proxy.request('GET', '/healthz')).json()) as { modules: { omadm: { waitingCalls: number } } };
    return health.modules.omadm.waitingCalls > 0 ? true : undefined;
  }, UPPER_BOUND_MS, 'the rerun request waits for the device');
  assert.equal(((await (await admin(proxy, 'GET', `/devices/${encodeURIComponent(DEV)}`)).json()) as { queued: number }).queued, 1, 'taken over, not queued twice');
  assert.equal((await sim.openSession()).result, 'completed');
  await sim.waitFor((event) => event.event === 'generic-alert-delivered', UPPER_BOUND_MS);
  const firmware = await eventually(async () => {
    const node = await oneM2M(proxy, 'GET', `/proxy/${DEV}?rcn=8`);
    const stored = (node.body['m2m:fwr'] as Array<Record<string, any>>)[0];
    return stored.uds?.sus === 1 ? stored : undefined;
  }, UPPER_BOUND_MS, 'uds successful after the Generic Alert');
  assert.deepEqual(firmware.uds, { acn: 'ud', sus: 1 });
  assert.equal(sim.events.filter((event) => event.event === 'command' && event.cmd === 'Exec').length, 1, 'the Exec ran once');
});

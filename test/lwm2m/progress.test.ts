import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DeviceAdapter, DeviceCallContext, DeviceCallProgress, DeviceRef, DeviceReport, MgmtObjRef } from '../../src/core/device-adapter.js';
import { loadMappings } from '../../src/mappings/loader.js';
import { startSimulatedDevice, type SimulatedDevice, type SimulatedDeviceOptions } from '../../src/sim/lwm2m/index.js';
import { eventually } from './helpers.js';
import { startStandaloneLwm2m } from './standalone-lwm2m.js';

const MAPPINGS = fileURLToPath(new URL('../../../mappings', import.meta.url));
const ENV = { COAP_ACK_TIMEOUT_MS: '500', COAP_MAX_RETRANSMIT: '2', OBSERVE_PMIN_S: '0', OBSERVE_PMAX_S: '30', QUEUE_MODE_AWAKE_MS: '400' };
const FIRMWARE: MgmtObjRef = { type: 'firmware', ri: 'fw', rn: 'firmware', attrs: {} };
const SOFTWARE: MgmtObjRef = { type: 'software', ri: 'sw', rn: 'software-0', attrs: {}, obps: ['/9/0'] };

function tables() {
  const loaded = loadMappings(MAPPINGS, 'default');
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.set;
}

/** A call context as the core gives one: progress recorded, signal aborted at the deadline (the core's job). */
function call(t: TestContext, ms: number): { ctx: DeviceCallContext; progress: DeviceCallProgress[]; abort(): void } {
  const controller = new AbortController();
  const progress: DeviceCallProgress[] = [];
  const timer = setTimeout(() => controller.abort(new Error('deadline')), ms);
  t.after(() => clearTimeout(timer));
  const ctx: DeviceCallContext = { requestId: 'rq', originator: 'CAdmin', deadline: Date.now() + ms, signal: controller.signal, progress: (update) => progress.push(update) };
  return { ctx, progress, abort: () => controller.abort(new Error('withdrawn')) };
}

const accepted = (progress: DeviceCallProgress[]) => progress.filter((update) => update.state === 'accepted');

describe('progress of work an Execute started, followed by Observe on a simulated device', () => {
  let adapter: DeviceAdapter;
  let coapPort: number;
  let seq = 0;
  const devices: SimulatedDevice[] = [];
  const table = tables();

  const cleanups: Array<() => Promise<void> | void> = [];

  before(async () => {
    // the module lives as long as the suite: its clean-up runs in the suite's after()
    const suiteScope = { after: (cleanup: () => Promise<void> | void) => cleanups.push(cleanup) } as unknown as TestContext;
    const started = await startStandaloneLwm2m(suiteScope, ENV);
    adapter = started.lwm2m.adapters[0];
    coapPort = started.coapPort;
  });
  after(async () => {
    devices.forEach((device) => device.close());
    for (const cleanup of cleanups) await cleanup();
  });

  async function registered(options: Partial<SimulatedDeviceOptions> = {}): Promise<{ device: SimulatedDevice; ref: DeviceRef }> {
    const endpoint = `progress-${process.pid}-${++seq}`;
    const device = await startSimulatedDevice({ endpoint, server: { host: '127.0.0.1', port: coapPort }, ...options });
    devices.push(device);
    assert.equal((await device.register()).code, '2.01');
    return { device, ref: { protocol: 'lwm2m', deviceId: endpoint, nodeRi: `n-${seq}` } };
  }

  /** Firmware downloaded (State 2), ready for ud. */
  async function downloaded(t: TestContext, options: Partial<SimulatedDeviceOptions>) {
    const handle = await registered({ ...options, timing: { downloadMs: 10, ...options.timing } });
    const write = await adapter.update(handle.ref, FIRMWARE, { url: 'sim:fw-2' }, call(t, 10_000).ctx);
    assert.equal(write.code, '2.04', write.detail);
    await eventually(async () => (handle.device.value('/5/0/3') === 2 ? true : undefined), 10_000, 'download');
    return handle;
  }

  it('firmware update followed until success: accepted In_Process, then the result row with the new vr; observations gone', async (t) => {
    const { device, ref } = await downloaded(t, { timing: { updateMs: 300 } });
    const { ctx, progress } = call(t, 20_000);
    const report = await adapter.update(ref, FIRMWARE, { ud: true }, ctx);
    assert.equal(report.operation, 'firmware-update-result');
    assert.equal(report.code, '1');
    assert.deepEqual(report.attributes?.uds, { acn: 'ud', sus: 1 });
    assert.equal(report.attributes?.vr, '1.1.0', 're-read after success');
    assert.equal(table.status('lwm2m', report.operation, report.code).rsc, 2004);
    const first = accepted(progress)[0];
    assert.ok(first?.state === 'accepted');
    assert.deepEqual([first.report.operation, first.report.code, first.report.attributes?.uds], ['execute', '2.04', { acn: 'ud', sus: 3 }]);
    assert.deepEqual(first.resume, { kind: 'lwm2m-progress', attribute: 'ud', objectId: 5, instanceId: 0, resources: [3, 5] });
    assert.equal(progress.filter((update) => update.state === 'sent').length, 1, '`sent` once per call');
    assert.ok(device.requests.some((request) => request.method === 'PUT' && request.path === '/5/0/3' && request.query.includes('pmax=30')), 'Write-Attributes before observing');
    assert.deepEqual(device.observations(), [], 'cancelled on the device');
  });

  it('firmware update that fails: the Update Result maps through the table to a failure', async (t) => {
    const { device, ref } = await downloaded(t, { timing: { updateMs: 100 }, firmware: { updateFailure: 8 } });
    const report = await adapter.update(ref, FIRMWARE, { ud: true }, call(t, 20_000).ctx);
    assert.deepEqual([report.operation, report.code, report.attributes?.uds], ['firmware-update-result', '8', { acn: 'ud', sus: 2 }]);
    const mapped = table.status('lwm2m', report.operation, report.code);
    assert.deepEqual([mapped.label, mapped.rsc, mapped.final], ['error - not executed', 5000, true]);
    assert.match(report.detail ?? '', /Update Result 8 at \/5\/0\/5/);
    assert.deepEqual(device.observations(), []);
  });

  it('a device that never reports an end: at the deadline the timeout report, and the device sees the observation cancelled', async (t) => {
    const { device, ref } = await downloaded(t, { timing: { updateMs: Infinity } });
    const cancelled: string[] = [];
    device.on('observe-cancelled', (path: string) => cancelled.push(path));
    const { ctx, progress } = call(t, 1500);
    const report = await adapter.update(ref, FIRMWARE, { ud: true }, ctx);
    assert.equal(report.code, 'timeout');
    assert.match(report.detail ?? '', /no end of the work ud started came before the deadline/);
    assert.equal(accepted(progress).length, 1);
    await eventually(async () => (device.observations().length === 0 ? true : undefined), 10_000, 'observations cancelled');
    assert.deepEqual(cancelled.sort(), ['/5/0/3', '/5/0/5']);
  });

  it('a status the device cannot give just now (5.03 while it flashes) is asked again, not taken for a device without status', async (t) => {
    const { device, ref } = await downloaded(t, { timing: { updateMs: 300 } });
    device.answerWith((request) => request.method === 'GET' && request.path === '/5/0/3' && request.observe === 0, '5.03');
    const { ctx, progress } = call(t, 1500);
    const report = await adapter.update(ref, FIRMWARE, { ud: true }, ctx);
    // followed until the deadline (the next look comes at pmax): never the plain Execute answer of a device without status
    assert.equal(report.code, 'timeout', `${report.operation} ${report.code} ${report.detail ?? ''}`);
    assert.equal(accepted(progress).length, 1);
  });

  it('software install followed until installed', async (t) => {
    const { device, ref } = await registered({ timing: { downloadMs: 10, installMs: 200 } });
    const write = await adapter.update(ref, SOFTWARE, { url: 'sim:app-2' }, call(t, 10_000).ctx);
    assert.equal(write.code, '2.04', write.detail);
    await eventually(async () => (device.value('/9/0/7') === 3 ? true : undefined), 10_000, 'delivered');
    const report = await adapter.update(ref, SOFTWARE, { in: true }, call(t, 20_000).ctx);
    assert.deepEqual([report.operation, report.code, report.attributes?.ins], ['software-update-result', '2', { acn: 'in', sus: 1 }]);
    assert.equal(table.status('lwm2m', report.operation, report.code).rsc, 2004);
    assert.deepEqual(device.observations(), []);
  });

  it('software uninstall ends when nothing is installed', async (t) => {
    const { device, ref } = await registered();
    const report = await adapter.update(ref, SOFTWARE, { un: true }, call(t, 20_000).ctx);
    assert.deepEqual([report.operation, report.code, report.attributes?.ins], ['software-update-result', '0', { acn: 'in', sus: 0 }]);
    assert.equal(device.value('/9/0/7'), 0);
  });

  it('resume after a restart: a fresh module given the resume data follows the update until it ends', async (t) => {
    const { device, ref } = await downloaded(t, { timing: { updateMs: Infinity } });
    const first = call(t, 20_000);
    const running = adapter.update(ref, FIRMWARE, { ud: true }, first.ctx);
    await eventually(async () => (accepted(first.progress).length > 0 ? true : undefined), 10_000, 'accepted');
    const resume = JSON.parse(JSON.stringify((accepted(first.progress)[0] as { resume: unknown }).resume)) as unknown;
    first.abort(); // the proxy stops: the first call ends
    assert.equal((await running).code, 'timeout');
    await eventually(async () => (device.observations().length === 0 ? true : undefined), 10_000, 'first observations cancelled');

    // a fresh module and adapter that know nothing but the resume data; the device (still updating) registers with it
    const restarted = await startStandaloneLwm2m(t, ENV);
    const again = await startSimulatedDevice({ endpoint: ref.deviceId, server: { host: '127.0.0.1', port: restarted.coapPort }, resources: { '/5/0/3': 3, '/5/0/5': 0 } });
    devices.push(again);
    assert.equal((await again.register()).code, '2.01');
    const { ctx, progress } = call(t, 20_000);
    const resumed = restarted.lwm2m.adapters[0].resume(ref, FIRMWARE, resume, ctx);
    await eventually(async () => (again.observations().length === 2 ? true : undefined), 10_000, 'observed again');
    again.setValue('/5/0/5', 1);
    again.setValue('/5/0/3', 0);
    const report = await resumed;
    assert.deepEqual([report.operation, report.code, report.attributes?.uds], ['firmware-update-result', '1', { acn: 'ud', sus: 1 }]);
    assert.equal(progress.filter((update) => update.state === 'sent').length, 1);
    assert.deepEqual(again.observations(), []);
  });

  it('resume when the work ended meanwhile resolves at once from the first answers', async (t) => {
    const { device, ref } = await registered({ resources: { '/5/0/3': 0, '/5/0/5': 8 } });
    const report = await adapter.resume(ref, FIRMWARE, { kind: 'lwm2m-progress', attribute: 'ud', objectId: 5, instanceId: 0, resources: [3, 5] }, call(t, 20_000).ctx);
    assert.deepEqual([report.operation, report.code], ['firmware-update-result', '8']);
    assert.deepEqual(device.observations(), []);
    const garbage = await adapter.resume(ref, FIRMWARE, { kind: 'something else' }, call(t, 1000).ctx);
    assert.equal(garbage.code, 'unmapped', 'resume data that is not ours is refused, never crashes');
  });

  it('queue mode: the observation waits in the endpoint queue until the device wakes', async (t) => {
    const { device, ref } = await registered({ queueMode: true, resources: { '/5/0/3': 3, '/5/0/5': 0 } });
    device.sleep();
    await new Promise((resolve) => setTimeout(resolve, 600)); // past QUEUE_MODE_AWAKE_MS: the proxy counts it asleep
    const before = device.requests.length;
    const { ctx } = call(t, 20_000);
    const resumed = adapter.resume(ref, FIRMWARE, { kind: 'lwm2m-progress', attribute: 'ud', objectId: 5, instanceId: 0, resources: [3, 5] }, ctx);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(device.requests.length, before, 'nothing sent to a sleeping device');
    device.setValue('/5/0/5', 1);
    device.setValue('/5/0/3', 0);
    await device.wake();
    const report: DeviceReport = await resumed;
    assert.deepEqual([report.code, report.attributes?.uds], ['1', { acn: 'ud', sus: 1 }]);
  });
});

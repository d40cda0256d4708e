import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { StartupError } from '../../src/core/startup-error.js';
import { TECHNOLOGY_MODULES } from '../../src/modules.js';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { fakeModule } from './fake-module.js';
import { DeviceNodeDirectory } from '../../src/onem2m/resources/device-node-directory.js';

/** What a TCP listener on 127.0.0.1:`port` says before it hangs up; rejects when nothing listens. */
async function greeting(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await once(socket, 'end');
  return text;
}

test('a technology module from the list is started like LwM2M: listener by name, admin router behind the guard, adapter, health and close()', async (t) => {
  const log: string[] = [];
  const proxy = await startTestProxy({}, undefined, [...TECHNOLOGY_MODULES, fakeModule('fake', log, 'omadm20')]);
  let stopped = false;
  t.after(() => (stopped ? undefined : proxy.stop(true)));

  assert.deepEqual(Object.keys(proxy.listeners).sort(), ['fake-tcp', 'http', 'lwm2m-bootstrap', 'lwm2m-server', 'omadm-http']);
  assert.equal(await greeting(proxy.listeners['fake-tcp'].port), 'fake\n', 'the listener reported is the one bound');
  const health = await fetch(proxy.url('/healthz'));
  assert.equal(health.status, 200);
  const report = (await health.json()) as { ok: boolean; listeners: Record<string, boolean>; modules: Record<string, { ok: boolean }> };
  assert.equal(report.ok, true);
  assert.deepEqual(report.listeners, { http: true, 'lwm2m-server': true, 'lwm2m-bootstrap': true, 'omadm-http': true, 'fake-tcp': true });
  assert.deepEqual(report.modules.omadm, { ok: true, dmPath: '/dm', dm2Path: '/dm2', tls: false, waitingCalls: 0 });
  assert.deepEqual(report.modules.fake, { ok: true, listening: true });
  assert.deepEqual(report.modules.lwm2m, { ok: true, registrations: 0 });

  const admin = (path: string, origin?: string) => fetch(proxy.url(path), { headers: origin ? { 'X-M2M-Origin': origin } : {} });
  const status = await admin('/admin/fake/status', 'CAdmin');
  assert.equal(status.status, 200);
  assert.deepEqual(await status.json(), { module: 'fake' });
  assert.equal((await admin('/admin/fake/status')).status, 403, 'the admin guard applies to every module');
  assert.equal((await admin('/admin/fake/status', 'Cstranger')).status, 403);
  assert.equal((await admin('/admin/fake/nothing', 'CAdmin')).status, 404);
  assert.equal((await admin('/admin/lwm2m/registrations', 'CAdmin')).status, 200, 'LwM2M keeps its public admin paths');

  await new DeviceNodeDirectory(proxy.tree).upsertDevice({
    protocol: 'omadm20', deviceId: 'fake-device', address: 'tcp://127.0.0.1:1', online: true,
    mgmtObjs: [{ type: 'reboot', rn: 'reboot', obis: [], obps: [] }],
  });
  const read = await proxy.request('GET', '/proxy/fake-device/reboot');
  assert.notEqual(read.headers.get('x-m2m-rsc'), '6003', 'an adapter serves omadm20');
  assert.ok(log.includes('omadm20 retrieve'), 'the request reached the module\'s adapter');

  await proxy.stop(true);
  stopped = true;
  assert.deepEqual(log.filter((entry) => entry.startsWith('fake ')), ['fake started', 'fake closed']);
  await assert.rejects(greeting(proxy.listeners['fake-tcp'].port), 'the module\'s port is closed');
});

test('every module\'s settings are checked before any module starts: a bad one is one start-up error and nothing is bound', async () => {
  const log: string[] = [];
  const modules = [fakeModule('first', log), ...TECHNOLOGY_MODULES, fakeModule('second', log)];
  await assert.rejects(startTestProxy({ SECOND_PORT: 'abc' }, undefined, modules), (error: unknown) => {
    assert.ok(error instanceof StartupError);
    assert.equal(error.message, 'SECOND_PORT="abc" is not valid: an integer from 0 to 65535');
    assert.equal(error.fields.setting, 'SECOND_PORT');
    return true;
  });
  assert.deepEqual(log, [], 'no module was started');
});

test('a module that cannot bind its listener closes the modules started before it', async (t) => {
  const busy = createServer().listen(0, '127.0.0.1');
  await once(busy, 'listening');
  t.after(() => new Promise((resolve) => busy.close(resolve)));
  const port = (busy.address() as AddressInfo).port;
  const log: string[] = [];
  const modules = [fakeModule('first', log), fakeModule('second', log)];
  await assert.rejects(startTestProxy({ SECOND_PORT: String(port) }, undefined, modules), (error: unknown) => {
    assert.ok(error instanceof StartupError);
    assert.equal(error.message, `SECOND_PORT=${port} cannot be bound on HOST=127.0.0.1: the port is in use (EADDRINUSE)`);
    return true;
  });
  assert.deepEqual(log, ['first started', 'first closed']);
});

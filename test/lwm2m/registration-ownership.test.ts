/** The registration store owns LwM2M registrations: the service writes there first and its expiry comes from there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/core/config.js';
import { createMetricsRegistry } from '../../src/core/metrics.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { startMappingService } from '../../src/mappings/mapping-service.js';
import { ResourceTree } from '../../src/onem2m/resources/resource-tree.js';
import { DeviceNodeDirectory } from '../../src/onem2m/resources/device-node-directory.js';
import { loadLwm2mSettings } from '../../src/lwm2m/settings.js';
import { startLwm2m } from '../../src/lwm2m/index.js';
import { REGISTRATION_KIND, type Registration } from '../../src/lwm2m/registration/registration.js';
import { startSimulatedDevice } from '../../src/sim/lwm2m/index.js';

test('a Register is in the registration store by endpoint, id and address with its lifetime\'s end; an expiry removes it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lwm2m-registrations-'));
  const env = { COAP_PORT: '0', BOOTSTRAP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REGISTRATION_GRACE_S: '0' };
  const config = loadConfig(env);
  const deps = { config, logger: pino({ level: 'silent' }), metrics: createMetricsRegistry() };
  const store = openSqliteStore(dataDir);
  const mappings = await startMappingService(deps);
  const tree = await ResourceTree.open(store.resources, config);
  const lwm2m = await startLwm2m({ ...deps, store, directory: new DeviceNodeDirectory(tree), mappings }, loadLwm2mSettings(env));
  t.after(async () => {
    await lwm2m.close();
    await mappings.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const expired = new Promise<void>((resolve) => lwm2m.downlink.onRegistrationChange((_endpoint, kind) => kind === 'expire' && resolve()));
  const device = await startSimulatedDevice({ endpoint: 'urn:dev:owned', server: { host: '127.0.0.1', port: lwm2m.listeners.find((listener) => listener.name === 'lwm2m-server')!.port }, lifetime: 1, objects: ['/3/0'] });
  t.after(() => device.close());

  const before = Date.now();
  const registered = await device.register();
  assert.equal(registered.code, '2.01');
  const id = registered.location!.replace('/rd/', '');
  const registrations = store.registrations<Registration>(REGISTRATION_KIND);
  const stored = await registrations.byEndpoint('urn:dev:owned');
  assert.equal(stored?.id, id);
  assert.equal(stored?.lifetime, 1);
  assert.equal((await registrations.byId(id))?.endpoint, 'urn:dev:owned');
  assert.equal((await registrations.byAddress('127.0.0.1', device.address().port))?.endpoint, 'urn:dev:owned');
  const end = await registrations.nextExpiry();
  assert.ok(end !== undefined && end >= before + 1000 && end <= Date.now() + 1000, `lifetime ends 1 s after the Register (${end})`);

  await expired;
  assert.equal(await registrations.byEndpoint('urn:dev:owned'), undefined);
  assert.equal(await registrations.nextExpiry(), undefined);
});

test('registrations an older version kept as records move into the registration store at start', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lwm2m-registrations-'));
  const env = { COAP_PORT: '0', BOOTSTRAP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir };
  const config = loadConfig(env);
  const deps = { config, logger: pino({ level: 'silent' }), metrics: createMetricsRegistry() };
  const store = openSqliteStore(dataDir);
  t.after(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const now = Date.now();
  const legacy: Registration = {
    id: 'old-id', endpoint: 'urn:dev:legacy', address: '127.0.0.1', port: 40123, version: '1.1', binding: 'U', queueMode: false,
    lifetime: 600, rootPath: '', objects: [[3, 0]], objectVersions: {}, registeredAt: now, lastUpdate: now, lastSeen: now,
  };
  await store.records<Registration>('lwm2m.registration').put(legacy.endpoint, legacy);
  const mappings = await startMappingService(deps);
  const tree = await ResourceTree.open(store.resources, config);
  const lwm2m = await startLwm2m({ ...deps, store, directory: new DeviceNodeDirectory(tree), mappings }, loadLwm2mSettings(env));
  t.after(async () => {
    await lwm2m.close();
    await mappings.close();
  });
  assert.equal(lwm2m.downlink.lookup('urn:dev:legacy')?.endpoint, 'urn:dev:legacy');
  assert.deepEqual(await store.registrations<Registration>(REGISTRATION_KIND).byId('old-id'), legacy);
  assert.equal(await store.registrations<Registration>(REGISTRATION_KIND).nextExpiry(), now + 600_000);
  assert.deepEqual(await store.records('lwm2m.registration').list(), []);
});

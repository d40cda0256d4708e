import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createMetricsRegistry } from '../../src/core/metrics.js';
import type { DeviceDirectory, DiscoveredDevice } from '../../src/core/device-directory.js';
import type { MappingService, MappingSet } from '../../src/mappings/types.js';
import { createLwm2mMetrics } from '../../src/lwm2m/lwm2m-metrics.js';
import { parseObjectLinks } from '../../src/lwm2m/registration/object-links.js';
import { RegistrationService } from '../../src/lwm2m/registration/registration-service.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { DeviceRegistration, RegistrationStore } from '../../src/store/registration-store.js';
import type { Store } from '../../src/store/store.js';

/** The SQLite store whose registration puts fail (a full disk) while `failing.puts` is set. */
function storeFailingPuts(dataDir: string): { store: Store; failing: { puts: boolean } } {
  const inner = openSqliteStore(dataDir);
  const failing = { puts: false };
  const store: Store = {
    ...inner,
    registrations: <T extends DeviceRegistration>(kind: string): RegistrationStore<T> => {
      const registrations = inner.registrations<T>(kind);
      const put = (registration: T, expiresAt: number): Promise<void> => (failing.puts ? Promise.reject(new Error('disk full')) : registrations.put(registration, expiresAt));
      return { ...registrations, put };
    },
  };
  return { store, failing };
}

/** A directory that records what is published to it and fails while `failing` is set. */
function recordingDirectory(): DeviceDirectory & { published: DiscoveredDevice[]; offline: string[]; failing: boolean } {
  return {
    published: [],
    offline: [],
    failing: false,
    async upsertDevice(device) {
      if (this.failing) throw new Error('tree unavailable');
      this.published.push(device);
    },
    async setOnline(_protocol, deviceId, online) {
      if (!online) this.offline.push(deviceId);
    },
    async cacheReportedAttributes() {},
    async upsertMgmtObjs() {},
  };
}

function mappingSet(): MappingSet {
  return {
    status: () => { throw new Error('not used'); },
    lwm2mByMgmtObj: () => undefined,
    lwm2mByObjectId: (objectId) => (objectId === 3 ? [{ mgmtObj: 'deviceInfo', multiInstance: false }] as never : []),
    omadmByMgmtObj: () => undefined,
  };
}

/** A registration service on `store` (closed, with the data dir removed, when the test ends). */
async function openService(t: TestContext, dataDir: string, store: Store, directory: DeviceDirectory, current: () => MappingSet): Promise<RegistrationService> {
  const mappings: MappingService = { current, health: () => ({ ok: true, loadedAt: '', reloadFailures: 0, lastErrors: [] }), close: async () => {} };
  const service = await RegistrationService.open({
    store, directory, mappings, logger: pino({ level: 'silent' }), metrics: createLwm2mMetrics(createMetricsRegistry()), graceSeconds: 0,
  });
  t.after(async () => {
    await service.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return service;
}

test('an Update that leaves the device as published does not publish it again; any change, a mapping reload, an earlier failure or a Register does', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'registration-publication-'));
  const store = openSqliteStore(dataDir);
  const directory = recordingDirectory();
  let current = mappingSet();
  const service = await openService(t, dataDir, store, directory, () => current);
  const params = { endpoint: 'urn:dev:p1', lifetime: 300, version: '1.1', binding: 'U', queueMode: false };
  const objects = () => parseObjectLinks(Buffer.from('</1/0>,</3/0>'));
  const peer = { address: '127.0.0.1', port: 5000 };
  const published = () => directory.published.length;

  let registration = await service.register(params, objects(), peer);
  assert.equal(published(), 1);
  registration = await service.update(registration.id, { lifetime: 600 }, undefined, peer);
  assert.equal(registration.lifetime, 600);
  assert.equal(published(), 1, 'a lifetime Update leaves the device as published');
  registration = await service.update(registration.id, {}, objects(), peer);
  assert.equal(published(), 1, 'the same object list again');

  registration = await service.update(registration.id, {}, undefined, { ...peer, port: 5001 });
  assert.equal(published(), 2, 'a new address is published');
  assert.equal(directory.published[1].address, 'coap://127.0.0.1:5001');
  registration = await service.update(registration.id, {}, parseObjectLinks(Buffer.from('</1/0>,</3/0>,</5/0>')), { ...peer, port: 5001 });
  assert.equal(published(), 3, 'a new object list is published');

  registration = await service.register(params, parseObjectLinks(Buffer.from('</1/0>,</3/0>,</5/0>')), { ...peer, port: 5001 });
  assert.equal(published(), 4, 'a Register refreshes the tree even with the same objects from the same address');
  registration = await service.update(registration.id, {}, undefined, { ...peer, port: 5001 });
  assert.equal(published(), 4);
  current = mappingSet();
  registration = await service.update(registration.id, {}, undefined, { ...peer, port: 5001 });
  assert.equal(published(), 5, 'reloaded mappings are published');

  directory.failing = true;
  registration = await service.update(registration.id, {}, undefined, peer);
  assert.equal(service.get('urn:dev:p1')?.port, 5000, 'a failed publication never refuses the Update');
  directory.failing = false;
  await service.update(registration.id, { lifetime: 60 }, undefined, peer);
  assert.equal(published(), 6, 'after a failed publication the next Update publishes');
  assert.equal(directory.published[5].address, 'coap://127.0.0.1:5000');
});

test('a registration the store refuses leaves the tree as the stored registrations show it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'registration-publication-'));
  const { store, failing } = storeFailingPuts(dataDir);
  const directory = recordingDirectory();
  const fixed = mappingSet();
  const service = await openService(t, dataDir, store, directory, () => fixed);
  const params = { endpoint: 'urn:dev:r1', lifetime: 300, version: '1.1', binding: 'U', queueMode: false };
  const objects = () => parseObjectLinks(Buffer.from('</1/0>,</3/0>'));
  const registration = await service.register(params, objects(), { address: '127.0.0.1', port: 5000 });

  failing.puts = true;
  await assert.rejects(service.update(registration.id, {}, undefined, { address: '127.0.0.1', port: 6000 }), /disk full/);
  assert.match(String(directory.published.at(-1)?.address), /:5000$/, 'the device is shown at the address still stored');
  assert.equal(service.get('urn:dev:r1')?.port, 5000);

  await assert.rejects(service.register({ ...params, endpoint: 'urn:dev:r2' }, objects(), { address: '127.0.0.1', port: 7000 }), /disk full/);
  assert.deepEqual(directory.offline, ['urn:dev:r2'], 'a device whose first registration was refused is shown offline');
  assert.equal(service.get('urn:dev:r2'), undefined);
});

/** The registration store owns LwM2M registrations: the service writes there first and its expiry comes from there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REGISTRATION_KIND, type Registration } from '../../src/lwm2m/registration/registration.js';
import { startSimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { startStandaloneLwm2m } from './standalone-lwm2m.js';

test('a Register is in the registration store by endpoint, id and address with its lifetime\'s end; an expiry removes it', async (t) => {
  const { lwm2m, coapPort, store } = await startStandaloneLwm2m(t, { HOST: '127.0.0.1', REGISTRATION_GRACE_S: '0' });
  const expired = new Promise<void>((resolve) => lwm2m.downlink.onRegistrationChange((_endpoint, kind) => kind === 'expire' && resolve()));
  const device = await startSimulatedDevice({ endpoint: 'urn:dev:owned', server: { host: '127.0.0.1', port: coapPort }, lifetime: 1, objects: ['/3/0'] });
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
  const now = Date.now();
  const legacy: Registration = {
    id: 'old-id', endpoint: 'urn:dev:legacy', address: '127.0.0.1', port: 40123, version: '1.1', binding: 'U', queueMode: false,
    lifetime: 600, rootPath: '', objects: [[3, 0]], objectVersions: {}, registeredAt: now, lastUpdate: now, lastSeen: now,
  };
  const { lwm2m, store } = await startStandaloneLwm2m(t, { HOST: '127.0.0.1' }, (seeded) => seeded.records<Registration>('lwm2m.registration').put(legacy.endpoint, legacy));
  assert.equal(lwm2m.downlink.lookup('urn:dev:legacy')?.endpoint, 'urn:dev:legacy');
  assert.deepEqual(await store.registrations<Registration>(REGISTRATION_KIND).byId('old-id'), legacy);
  assert.equal(await store.registrations<Registration>(REGISTRATION_KIND).nextExpiry(), now + 600_000);
  assert.deepEqual(await store.records('lwm2m.registration').list(), []);
});

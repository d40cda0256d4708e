/** The promises of RegistrationStore (src/store/registration-store.ts), for any implementation. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/store/store.js';
import type { DeviceRegistration } from '../../../src/store/registration-store.js';
import { RegistrationConflictError } from '../../../src/store/store-errors.js';
import { openedStores, type OpenStore } from './opened.js';

interface TestRegistration extends DeviceRegistration {
  lifetime: number;
  objects: number[][];
  note?: string;
}

function registration(endpoint: string, id: string, address = '127.0.0.1', port = 5683, extra: Partial<TestRegistration> = {}): TestRegistration {
  return { endpoint, id, address, port, lifetime: 60, objects: [[3, 0], [1]], ...extra };
}

const endpoints = (registrations: DeviceRegistration[]): string[] => registrations.map((r) => r.endpoint);

export type RegistrationStores = Store['registrations'];

export function registrationStoreContract(name: string, open: OpenStore<RegistrationStores>): void {
  describe(`RegistrationStore contract: ${name}`, () => {
    const stores = openedStores(open);
    afterEach(() => stores.disposeAll());
    const fresh = async () => (await stores.open()).store<TestRegistration>('test');

    test('a registration is found by endpoint, by id and by address and port; unknown keys give undefined', async () => {
      const store = await fresh();
      const one = registration('ep-1', 'id-1', '::1', 40001, { note: 'kept as given' });
      await store.put(one, 1000);
      assert.deepEqual(await store.byEndpoint('ep-1'), one);
      assert.deepEqual(await store.byId('id-1'), one);
      assert.deepEqual(await store.byAddress('::1', 40001), one);
      assert.equal(await store.byEndpoint('ep-2'), undefined);
      assert.equal(await store.byId('id-2'), undefined);
      assert.equal(await store.byAddress('::1', 40002), undefined);
      assert.equal(await store.byAddress('127.0.0.1', 40001), undefined);
    });

    test('put replaces the endpoint\'s registration: its old id and old address no longer find it', async () => {
      const store = await fresh();
      await store.put(registration('ep-1', 'old', '127.0.0.1', 40001), 1000);
      await store.put(registration('ep-1', 'new', '127.0.0.2', 40002, { lifetime: 90 }), 2000);
      assert.equal(await store.byId('old'), undefined);
      assert.equal(await store.byAddress('127.0.0.1', 40001), undefined);
      assert.equal((await store.byId('new'))?.lifetime, 90);
      assert.equal((await store.byAddress('127.0.0.2', 40002))?.endpoint, 'ep-1');
      assert.deepEqual(endpoints(await store.list()), ['ep-1']);
    });

    test('an id held by another endpoint is refused with RegistrationConflictError and nothing is written', async () => {
      const store = await fresh();
      await store.put(registration('ep-1', 'shared'), 1000);
      await store.put(registration('ep-2', 'own'), 1000);
      await assert.rejects(store.put(registration('ep-2', 'shared', '10.0.0.9', 1), 5), RegistrationConflictError);
      assert.equal((await store.byId('shared'))?.endpoint, 'ep-1');
      assert.equal((await store.byEndpoint('ep-2'))?.id, 'own');
      assert.equal(await store.nextExpiry(), 1000);
    });

    test('of registrations at the same address and port, the one put last is found there', async () => {
      const store = await fresh();
      await store.put(registration('ep-a', 'id-a', '127.0.0.1', 40000), 1000);
      await store.put(registration('ep-b', 'id-b', '127.0.0.1', 40000), 1000);
      assert.equal((await store.byAddress('127.0.0.1', 40000))?.endpoint, 'ep-b');
      await store.put(registration('ep-a', 'id-a', '127.0.0.1', 40000, { lifetime: 5 }), 1000);
      assert.equal((await store.byAddress('127.0.0.1', 40000))?.endpoint, 'ep-a');
      await store.put(registration('ep-a', 'id-a', '127.0.0.1', 40000, { lifetime: 7 }), 500);
      assert.deepEqual(await store.byAddress('127.0.0.1', 40000), registration('ep-a', 'id-a', '127.0.0.1', 40000, { lifetime: 7 }), 'a put again as the latest there stores its new value');
      assert.equal(await store.nextExpiry(), 500);
      assert.deepEqual(endpoints(await store.expiringBy(500)), ['ep-a']);
      await store.put(registration('ep-a', 'id-a', '127.0.0.1', 40099), 1000);
      assert.equal((await store.byAddress('127.0.0.1', 40000))?.endpoint, 'ep-b');
      await store.delete('ep-b');
      assert.equal(await store.byAddress('127.0.0.1', 40000), undefined);
    });

    test('delete removes a registration from every lookup; with an id only while it is still that registration', async () => {
      const store = await fresh();
      await store.put(registration('ep-1', 'id-1', '127.0.0.1', 40001), 1000);
      assert.equal(await store.delete('ep-1', 'other-id'), false);
      assert.equal((await store.byEndpoint('ep-1'))?.id, 'id-1');
      assert.equal(await store.delete('ep-1', 'id-1'), true);
      assert.equal(await store.byEndpoint('ep-1'), undefined);
      assert.equal(await store.byId('id-1'), undefined);
      assert.equal(await store.byAddress('127.0.0.1', 40001), undefined);
      assert.equal(await store.nextExpiry(), undefined);
      assert.equal(await store.delete('ep-1'), false);
      await store.put(registration('ep-2', 'id-2'), 1000);
      assert.equal(await store.delete('ep-2'), true);
      assert.deepEqual(await store.list(), []);
    });

    test('list gives every registration ascending by endpoint', async () => {
      const store = await fresh();
      for (const endpoint of ['urn:imei:2', 'B', 'a', 'urn:imei:10']) await store.put(registration(endpoint, `id-${endpoint}`), 1000);
      assert.deepEqual(endpoints(await store.list()), ['B', 'a', 'urn:imei:10', 'urn:imei:2']);
    });

    test('expiry: expiringBy lists the lifetimes ended by a moment, earliest first; nextExpiry is the earliest end', async () => {
      const store = await fresh();
      assert.equal(await store.nextExpiry(), undefined);
      assert.deepEqual(await store.expiringBy(Number.MAX_SAFE_INTEGER), []);
      await store.put(registration('late', 'id-late'), 3000);
      await store.put(registration('early', 'id-early'), 1000);
      await store.put(registration('middle', 'id-middle'), 2000);
      assert.equal(await store.nextExpiry(), 1000);
      assert.deepEqual(endpoints(await store.expiringBy(999)), []);
      assert.deepEqual(endpoints(await store.expiringBy(2000)), ['early', 'middle']);
      assert.deepEqual((await store.expiringBy(2000))[0], registration('early', 'id-early'));
      await store.put(registration('early', 'id-early'), 5000);
      assert.equal(await store.nextExpiry(), 2000);
      assert.deepEqual(endpoints(await store.expiringBy(3000)), ['middle', 'late']);
      await store.delete('middle');
      assert.deepEqual(endpoints(await store.expiringBy(10_000)), ['late', 'early']);
    });

    test('kinds are separate: the same endpoint and id may live in two kinds', async () => {
      const opened = await stores.open();
      const first = opened.store<TestRegistration>('first');
      const second = opened.store<TestRegistration>('second');
      await first.put(registration('ep', 'id', '127.0.0.1', 1), 1000);
      await second.put(registration('ep', 'id', '127.0.0.1', 1, { lifetime: 7 }), 500);
      assert.equal((await first.byId('id'))?.lifetime, 60);
      assert.equal((await second.byAddress('127.0.0.1', 1))?.lifetime, 7);
      assert.equal(await first.nextExpiry(), 1000);
      assert.deepEqual(endpoints(await first.expiringBy(900)), []);
      await second.delete('ep');
      assert.equal((await first.byEndpoint('ep'))?.id, 'id');
    });

    test('a value read is a copy: changing it changes nothing stored', async () => {
      const store = await fresh();
      await store.put(registration('ep-1', 'id-1'), 1000);
      const read = (await store.byEndpoint('ep-1'))!;
      read.objects.push([9, 9]);
      read.lifetime = 1;
      assert.deepEqual(await store.byEndpoint('ep-1'), registration('ep-1', 'id-1'));
    });

    test('registrations and their expiry survive closing and reopening', async () => {
      const opened = await stores.open();
      await opened.store<TestRegistration>('test').put(registration('ep-1', 'id-1', '::1', 4000), 1234);
      const reopened = (await opened.reopen())<TestRegistration>('test');
      assert.deepEqual(await reopened.byAddress('::1', 4000), registration('ep-1', 'id-1', '::1', 4000));
      assert.equal(await reopened.nextExpiry(), 1234);
      await reopened.put(registration('ep-2', 'id-2', '::1', 4000), 99);
      assert.equal((await reopened.byAddress('::1', 4000))?.endpoint, 'ep-2');
    });
  });
}

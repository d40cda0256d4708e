/** The promises of RecordStore (src/store/record-store.ts), for any implementation. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/store/store.js';
import { openedStores, type OpenStore } from './opened.js';

export type RecordStores = Store['records'];

export function recordStoreContract(name: string, open: OpenStore<RecordStores>): void {
  describe(`RecordStore contract: ${name}`, () => {
    const stores = openedStores(open);
    afterEach(() => stores.disposeAll());

    test('put, get, replace and delete a record; unknown keys give undefined', async () => {
      const store = (await stores.open()).store<{ lifetime: number }>('test');
      assert.equal(await store.get('ep-a'), undefined);
      await store.put('ep-a', { lifetime: 30 });
      await store.put('ep-a', { lifetime: 90 });
      assert.deepEqual(await store.get('ep-a'), { lifetime: 90 });
      assert.equal(await store.delete('ep-a'), true);
      assert.equal(await store.delete('ep-a'), false);
      assert.equal(await store.get('ep-a'), undefined);
    });

    test('list gives every record of the kind ascending by key; kinds are separate', async () => {
      const opened = await stores.open();
      const configs = opened.store<unknown>('configs');
      const failures = opened.store<unknown>('failures');
      for (const key of ['urn:*', 'b', 'A', 'a*']) await configs.put(key, { key });
      await failures.put('b', ['other kind']);
      assert.deepEqual(await configs.list(), ['A', 'a*', 'b', 'urn:*'].map((key) => ({ key, value: { key } })));
      assert.deepEqual(await failures.list(), [{ key: 'b', value: ['other kind'] }]);
      await failures.delete('b');
      assert.deepEqual(await configs.get('b'), { key: 'b' });
    });

    test('a value read is a copy: changing it changes nothing stored', async () => {
      const store = (await stores.open()).store<{ list: string[] }>('test');
      await store.put('k', { list: ['x'] });
      (await store.get('k'))!.list.push('y');
      (await store.list())[0].value.list.push('z');
      assert.deepEqual(await store.get('k'), { list: ['x'] });
    });

    test('records survive closing and reopening', async () => {
      const opened = await stores.open();
      await opened.store('test').put('k', { n: 1 });
      const reopened = await opened.reopen();
      assert.deepEqual(await reopened('test').get('k'), { n: 1 });
    });
  });
}

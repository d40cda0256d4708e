/** The promises of PendingOperationStore (src/store/pending-operation-store.ts), for any implementation. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PendingOperation, PendingOperationStore, PendingState } from '../../../src/store/pending-operation-store.js';
import { openedStores, type OpenStore } from './opened.js';

function operation(id: string, extra: Partial<PendingOperation> = {}): PendingOperation {
  return {
    id,
    originator: 'CAdmin',
    target: `ri-${id}`,
    operation: 'update',
    plan: { primitive: { op: 3, to: '/proxy/imei:4711/firmware', pc: { 'm2m:fwr': { ud: true } } }, resume: [5, 0, 2] },
    deadline: 50_000,
    state: 'queued',
    keepUntil: 100_000,
    createdAt: 1_000,
    ...extra,
  };
}

const ids = (operations: PendingOperation[]): string[] => operations.map((o) => o.id);

export function pendingOperationStoreContract(name: string, open: OpenStore<PendingOperationStore>): void {
  describe(`PendingOperationStore contract: ${name}`, () => {
    const stores = openedStores(open);
    afterEach(() => stores.disposeAll());
    const fresh = async () => (await stores.open()).store;

    test('put then get gives the operation back as stored; an unknown id gives undefined', async () => {
      const store = await fresh();
      const full = operation('op-1', {
        state: 'completed',
        response: { rsc: 2004, pc: { 'm2m:fwr': { vr: '1.1' } } },
        requestRi: 'req-1',
        notification: { targets: ['http://127.0.0.1:9/a', 'http://[::1]:9/b'], attempts: 2, nextAttemptAt: 7_000 },
      });
      await store.put(full);
      assert.deepEqual(await store.get('op-1'), full);
      assert.deepEqual(await store.get('op-2'), undefined);
    });

    test('put replaces the operation with the same id, in every lookup', async () => {
      const store = await fresh();
      await store.put(operation('op-1', { requestRi: 'req-old', keepUntil: 100 }));
      const replaced = operation('op-1', { state: 'failed', requestRi: 'req-new', keepUntil: 900, response: { rsc: 6003 } });
      await store.put(replaced);
      assert.deepEqual(await store.get('op-1'), replaced);
      assert.equal(await store.byRequest('req-old'), undefined);
      assert.deepEqual(await store.byRequest('req-new'), replaced);
      assert.deepEqual(ids(await store.unfinished()), []);
      assert.deepEqual(ids(await store.expiringBy(100)), []);
      assert.deepEqual(ids(await store.expiringBy(900)), ['op-1']);
      assert.equal(await store.nextExpiry(), 900);
    });

    test('a value read is a copy: changing it, or what was put, changes nothing stored', async () => {
      const store = await fresh();
      const given = operation('op-1', { requestRi: 'req-1', notification: { targets: ['http://127.0.0.1:9/'], attempts: 0, nextAttemptAt: 0 } });
      await store.put(given);
      given.notification!.targets.push('changed after put');
      (await store.get('op-1'))!.notification!.targets.push('changed after get');
      (await store.byRequest('req-1'))!.notification!.attempts = 99;
      (await store.unfinished())[0].state = 'completed';
      (await store.expiringBy(Number.MAX_SAFE_INTEGER))[0].originator = 'someone else';
      assert.deepEqual(await store.get('op-1'), operation('op-1', {
        requestRi: 'req-1',
        notification: { targets: ['http://127.0.0.1:9/'], attempts: 0, nextAttemptAt: 0 },
      }));
    });

    test('byRequest finds the operation by its <request> ri; others and operations without one are not found', async () => {
      const store = await fresh();
      await store.put(operation('op-1', { requestRi: 'req-1' }));
      await store.put(operation('op-2'));
      assert.equal((await store.byRequest('req-1'))?.id, 'op-1');
      assert.equal(await store.byRequest('req-2'), undefined);
      assert.equal(await store.byRequest('op-2'), undefined);
      assert.equal(await store.byRequest(''), undefined);
    });

    test('delete is true once, then false; the operation is gone from every lookup', async () => {
      const store = await fresh();
      await store.put(operation('op-1', { requestRi: 'req-1' }));
      await store.put(operation('op-2'));
      assert.equal(await store.delete('op-1'), true);
      assert.equal(await store.delete('op-1'), false);
      assert.equal(await store.delete('never-there'), false);
      assert.equal(await store.get('op-1'), undefined);
      assert.equal(await store.byRequest('req-1'), undefined);
      assert.deepEqual(ids(await store.unfinished()), ['op-2']);
      assert.deepEqual(ids(await store.expiringBy(Number.MAX_SAFE_INTEGER)), ['op-2']);
    });

    test('unfinished: every unfinished state, and final ones only while a notification target is left', async () => {
      const store = await fresh();
      const states: PendingState[] = ['queued', 'sent', 'accepted', 'completed', 'failed', 'expired', 'withdrawn'];
      for (const [i, state] of states.entries()) await store.put(operation(`plain-${state}`, { state, createdAt: 100 + i }));
      const notify = (targets: string[]) => ({ targets, attempts: 1, nextAttemptAt: 0 });
      await store.put(operation('done-undelivered', { state: 'completed', createdAt: 200, notification: notify(['http://127.0.0.1:9/']) }));
      await store.put(operation('failed-undelivered', { state: 'failed', createdAt: 201, notification: notify(['http://127.0.0.1:9/']) }));
      await store.put(operation('done-delivered', { state: 'completed', createdAt: 202, notification: notify([]) }));
      await store.put(operation('sent-delivered', { state: 'sent', createdAt: 203, notification: notify([]) }));
      assert.deepEqual(ids(await store.unfinished()), [
        'plain-queued', 'plain-sent', 'plain-accepted', 'done-undelivered', 'failed-undelivered', 'sent-delivered',
      ]);
    });

    test('unfinished follows each put: finishing, delivering the last target, or reopening an operation', async () => {
      const store = await fresh();
      await store.put(operation('op-1', { state: 'accepted' }));
      await store.put(operation('op-1', { state: 'completed', notification: { targets: ['http://127.0.0.1:9/'], attempts: 0, nextAttemptAt: 0 } }));
      assert.deepEqual(ids(await store.unfinished()), ['op-1']);
      await store.put(operation('op-1', { state: 'completed', notification: { targets: [], attempts: 1, nextAttemptAt: 0 } }));
      assert.deepEqual(ids(await store.unfinished()), []);
      await store.put(operation('op-1', { state: 'sent' }));
      assert.deepEqual(ids(await store.unfinished()), ['op-1']);
    });

    test('unfinished is ordered oldest first: by createdAt, then by id, whatever the order of puts', async () => {
      const store = await fresh();
      await store.put(operation('c', { createdAt: 3_000 }));
      await store.put(operation('b', { createdAt: 1_000 }));
      await store.put(operation('z', { createdAt: 2_000 }));
      await store.put(operation('a', { createdAt: 1_000 }));
      await store.put(operation('b', { createdAt: 4_000 }));
      assert.deepEqual(ids(await store.unfinished()), ['a', 'z', 'c', 'b']);
    });

    test('expiringBy gives keepUntil at or before the time, earliest first, finished or not', async () => {
      const store = await fresh();
      await store.put(operation('late', { keepUntil: 3_000 }));
      await store.put(operation('b-same', { keepUntil: 2_000, state: 'completed' }));
      await store.put(operation('a-same', { keepUntil: 2_000 }));
      await store.put(operation('early', { keepUntil: 1_000, state: 'expired' }));
      assert.deepEqual(ids(await store.expiringBy(999)), []);
      assert.deepEqual(ids(await store.expiringBy(1_000)), ['early']);
      assert.deepEqual(ids(await store.expiringBy(2_999)), ['early', 'a-same', 'b-same']);
      assert.deepEqual(ids(await store.expiringBy(3_000)), ['early', 'a-same', 'b-same', 'late']);
    });

    test('nextExpiry is the earliest keepUntil; undefined when the store is empty', async () => {
      const store = await fresh();
      assert.equal(await store.nextExpiry(), undefined);
      await store.put(operation('a', { keepUntil: 5_000 }));
      await store.put(operation('b', { keepUntil: 2_000 }));
      assert.equal(await store.nextExpiry(), 2_000);
      await store.delete('b');
      assert.equal(await store.nextExpiry(), 5_000);
      await store.delete('a');
      assert.equal(await store.nextExpiry(), undefined);
    });

    test('operations survive closing and reopening, with every lookup', async () => {
      const opened = await stores.open();
      const kept = operation('op-1', {
        state: 'completed',
        requestRi: 'req-1',
        response: { rsc: 2000 },
        notification: { targets: ['http://127.0.0.1:9/'], attempts: 3, nextAttemptAt: 12_345 },
        keepUntil: 4_000,
      });
      await opened.store.put(kept);
      await opened.store.put(operation('op-2', { state: 'withdrawn', keepUntil: 3_000 }));
      const reopened = await opened.reopen();
      assert.deepEqual(await reopened.get('op-1'), kept);
      assert.deepEqual(await reopened.byRequest('req-1'), kept);
      assert.deepEqual(ids(await reopened.unfinished()), ['op-1']);
      assert.deepEqual(ids(await reopened.expiringBy(4_000)), ['op-2', 'op-1']);
      assert.equal(await reopened.nextExpiry(), 3_000);
    });
  });
}

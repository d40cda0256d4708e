import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectStore } from '../../src/sim/lwm2m/object-store.js';

describe('simulated device: object store', () => {
  function storeWithApns(): ObjectStore {
    const store = new ObjectStore();
    store.putInstance(11, 0, new Map([[1, new Map([[0, 'a'], [1, 'b']])]]));
    return store;
  }

  it('replaces a multiple resource on Write Replace and merges resource instances on Partial Update', () => {
    const replaced = storeWithApns();
    replaced.applyValues([{ path: [11, 0, 1, 5], value: 'x' }], 'replace');
    assert.deepEqual(replaced.get(11, 0, 1), new Map([[5, 'x']]));
    const merged = storeWithApns();
    merged.applyValues([{ path: [11, 0, 1, 5], value: 'x' }], 'merge');
    assert.deepEqual(merged.get(11, 0, 1), new Map([[0, 'a'], [1, 'b'], [5, 'x']]));
  });

  it('lists values below any path in ID order and ignores values of missing instances', () => {
    const store = storeWithApns();
    store.putInstance(11, 2, new Map([[0, 'second']]));
    assert.deepEqual(store.applyValues([{ path: [11, 9, 0], value: 'ghost' }], 'merge'), []);
    assert.deepEqual(store.valuesAt([11]).map(({ path }) => path.join('/')), ['11/0/1/0', '11/0/1/1', '11/2/0']);
    assert.deepEqual(store.valuesAt([11, 0, 1, 1]), [{ path: [11, 0, 1, 1], value: 'b' }]);
    assert.equal(store.freeInstanceId(11), 1);
  });

  it('restores a snapshot without sharing maps with it', () => {
    const store = storeWithApns();
    const snapshot = store.clone();
    store.applyValues([{ path: [11, 0, 1, 0], value: 'changed' }], 'merge');
    store.deleteInstance(11, 0);
    store.restore(snapshot);
    assert.deepEqual(store.get(11, 0, 1), new Map([[0, 'a'], [1, 'b']]));
    store.applyValues([{ path: [11, 0, 1, 0], value: 'again' }], 'merge');
    assert.deepEqual(snapshot.get(11, 0, 1), new Map([[0, 'a'], [1, 'b']]));
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, TEST_ENV } from './managed-devices.js';

/** Store reads that reach the resource store on the hot path (behind the proxy's read cache). */
const HOT_PATH_READS_PER_RETRIEVE = 1;

test(`a deviceInfo Retrieve reads the resource store at most ${HOT_PATH_READS_PER_RETRIEVE} time(s), also while the device's values change`, async (t) => {
  let reads = 0;
  const countReads = (inner: ResourceStore): ResourceStore => ({
    ...inner,
    getResource: (ri) => (reads++, inner.getResource(ri)),
    getResourceByPath: (path) => (reads++, inner.getResourceByPath(path)),
    listChildren: (pi) => (reads++, inner.listChildren(pi)),
  });
  const proxy = await startTestProxy(TEST_ENV, undefined, undefined, (config) => {
    const store = openSqliteStore(config.dataDir);
    return { ...store, resources: countReads(store.resources), records: store.records, registrations: store.registrations, close: () => store.close() };
  });
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());

  const retrieve = async () => {
    const answer = await oneM2M(proxy, 'GET', `${node}/deviceInfo`);
    assert.equal(answer.rsc, 2000, answer.dbg);
    return answer.body;
  };
  await retrieve();
  const retrieves = 6;
  const before = reads;
  for (let i = 0; i < retrieves; i++) {
    // a value that changes on every read: each Retrieve stores it
    device.setValue('/3/0/3', `fw-${i}`);
    assert.equal((await retrieve()).fwv, `fw-${i}`);
  }
  const perRetrieve = (reads - before) / retrieves;
  assert.ok(perRetrieve <= HOT_PATH_READS_PER_RETRIEVE, `${perRetrieve} store reads per Retrieve`);
});

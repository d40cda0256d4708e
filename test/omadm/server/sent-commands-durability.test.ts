import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TechnologyModule } from '../../../src/core/technology-module.js';
import { lwm2mModule } from '../../../src/lwm2m/index.js';
import type { ModuleDeps } from '../../../src/modules.js';
import { type RunningOmadm, startOmadm } from '../../../src/omadm/index.js';
import { loadOmadmSettings } from '../../../src/omadm/settings.js';
import type { DmSessionRecord } from '../../../src/omadm/v13/session/session-record.js';
import type { RecordStore } from '../../../src/store/record-store.js';
import type { Store } from '../../../src/store/store.js';
import { startTestProxy } from '../../helpers/proxy-harness.js';
import { device, enrol } from './dm-test-kit.js';

/** The store, but changes of the DM command queue fail while `failing` is set (as if the process died there). */
function failingQueueStore(store: Store, switches: { failing: boolean }): Store {
  const failingRecords = <T>(records: RecordStore<T>): RecordStore<T> => ({
    get: (key) => records.get(key),
    list: () => records.list(),
    put: (key, value) => (switches.failing ? Promise.reject(new Error('crash')) : records.put(key, value)),
    delete: (key) => (switches.failing ? Promise.reject(new Error('crash')) : records.delete(key)),
  });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'records') return <T>(kind: string) => (kind === 'omadm.command-queue' ? failingRecords(target.records<T>(kind)) : target.records<T>(kind));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

test('a command sent is in the stored session before it leaves the queue: a failure between the two loses nothing', async (t) => {
  const switches = { failing: false };
  let omadm: RunningOmadm | undefined;
  let store: Store | undefined;
  const module: TechnologyModule<ModuleDeps> = {
    name: 'omadm',
    loadSettings(env) {
      const settings = loadOmadmSettings(env);
      return async (deps) => {
        store = deps.store;
        return (omadm = await startOmadm({ ...deps, store: failingQueueStore(deps.store, switches) }, settings));
      };
    },
  };
  const proxy = await startTestProxy({}, undefined, [lwm2mModule, module]);
  t.after(() => proxy.stop(true));
  const answered: string[] = [];
  const lost: string[] = [];
  omadm!.events = { commandsSent: () => undefined, commandsExpired: () => undefined, commandAnswered: (_devId, entry) => void answered.push(entry.id), commandLost: (_devId, entry) => void lost.push(entry.id), genericAlert: () => undefined };
  const devId = 'IMEI:durable';
  await enrol(proxy, devId);
  const entry = await omadm!.commandQueue.enqueue(devId, { kind: 'Get', cmdId: '', items: [{ target: { locUri: './DevInfo/Man' } }] });
  const sim = device(t, proxy, { devId });

  switches.failing = true;
  assert.equal((await sim.openSession()).result, 'failed', 'the queue removal failed: no answer');
  const stored = await store!.records<DmSessionRecord>('omadm.session').get(devId);
  assert.deepEqual(stored?.sent.map((sent) => sent.entry.id), [entry.id], 'the session record holds the command sent');
  assert.deepEqual((await omadm!.commandQueue.waiting(devId)).map((queued) => queued.id), [entry.id], 'and the queue still holds it');

  switches.failing = false;
  const next = await sim.openSession();
  assert.equal(next.result, 'completed', next.reason);
  assert.deepEqual(lost, [entry.id], 'the send the device never saw is reported lost when its session is replaced');
  assert.deepEqual(answered, [entry.id], 'and the command goes out again');
  assert.deepEqual(await omadm!.commandQueue.waiting(devId), []);
});

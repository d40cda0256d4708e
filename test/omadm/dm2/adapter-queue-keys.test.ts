import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import type { DeviceCallContext, DeviceCallProgress } from '../../../src/core/device-adapter.js';
import { loadMappings } from '../../../src/mappings/loader.js';
import type { MappingService } from '../../../src/mappings/types.js';
import { createDm2Adapter } from '../../../src/omadm/v20/adapter/index.js';
import { DataRepository } from '../../../src/omadm/v20/repository/index.js';
import { Dm2CommandQueue, type QueuedDm2Command, reportTokenOf } from '../../../src/omadm/v20/session/index.js';
import type { RecordStore } from '../../../src/store/record-store.js';

class MemoryRecords<T> implements RecordStore<T> {
  private readonly values = new Map<string, string>();
  async get(key: string) {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async put(key: string, value: T) {
    this.values.set(key, JSON.stringify(value));
  }
  async delete(key: string) {
    return this.values.delete(key);
  }
  async list() {
    return [...this.values].map(([key, text]) => ({ key, value: JSON.parse(text) as T }));
  }
}

const DEV = 'IMEI:2023';
const FIRMWARE = { type: 'firmware', ri: 'fw1', rn: 'firmware', obps: ['urn:oma:mo:oma-fumo:1.0/1'], attrs: {} };

function adapterOn(queue: Dm2CommandQueue) {
  const loaded = loadMappings('mappings', 'default');
  assert.ok(loaded.ok);
  return createDm2Adapter({
    queue,
    repository: new DataRepository('/dm2/repo', { ttlMs: 60_000, maxUploadBytes: 1024, maxHeldBytes: 1024 * 1024, maxOpen: 100 }),
    repositoryTtlMs: 60_000,
    dm2Path: '/dm2',
    mappings: { current: () => loaded.set } as unknown as MappingService,
    logger: pino({ level: 'silent' }),
    knows: async () => true,
    waker: { wake: async () => ({ ok: true }), sessionOpened: () => undefined },
    sentInSession: async () => [],
  });
}

function context(signal: AbortSignal, progress: (update: DeviceCallProgress) => void = () => undefined): DeviceCallContext {
  return { requestId: 'rq-1', originator: 'CAdmin', deadline: Date.now() + 60_000, signal, progress };
}

test('an Update rerun after a restart takes over its queued EXEC and waits for the Generic Alert at that EXEC\'s report URI', async () => {
  const queue = new Dm2CommandQueue(new MemoryRecords<QueuedDm2Command[]>());
  const before = new AbortController();
  // The process that queued the EXEC goes away without an answer.
  void adapterOn(queue).adapter.update({ protocol: 'omadm20', deviceId: DEV, nodeRi: 'n1' }, FIRMWARE, { ud: true }, context(before.signal));
  // SUB of FUMO State (progress while the update runs), then the EXEC.
  const queued = (await waitForQueue(queue, 2)).find((entry) => entry.command[0] === 'EXEC');
  const token = queued && reportTokenOf(queued.command);
  assert.ok(token, `a report URI in ${JSON.stringify(queued?.command)}`);

  const after = adapterOn(queue);
  const stop = new AbortController();
  const progress: DeviceCallProgress[] = [];
  const call = after.adapter.update({ protocol: 'omadm20', deviceId: DEV, nodeRi: 'n1' }, FIRMWARE, { ud: true }, context(stop.signal, (update) => progress.push(update)));
  await waitFor(() => (after.waiting() === 2 ? true : undefined));
  const waiting = await queue.waiting(DEV);
  assert.equal(waiting.length, 2, 'the rerun queued nothing new');
  after.events.commandsSent(DEV, waiting);
  await after.events.commandAnswered(DEV, waiting[0], { sc: 200 });
  await after.events.commandAnswered(DEV, waiting[1], { sc: 202 });
  const accepted = await waitFor(() => progress.find((update) => update.state === 'accepted'));
  assert.deepEqual((accepted as { resume: unknown }).resume, { execs: [{ attribute: 'ud', token }] });

  // The alert at that report URI completes the call (the read that follows is never answered: the call is stopped then).
  const delivered = after.events.genericAlert(DEV, { alertType: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', data: { DM1x: 200 } }, token);
  assert.ok(delivered, 'someone waited for that token');
  await delivered;
  stop.abort();
  const report = await call;
  assert.equal(report.code, '200');
  assert.deepEqual(report.attributes?.uds, { acn: 'ud', sus: 1 });
  before.abort();
});

async function waitForQueue(queue: Dm2CommandQueue, count: number): Promise<QueuedDm2Command[]> {
  return waitFor(async () => {
    const waiting = await queue.waiting(DEV);
    return waiting.length >= count ? waiting : undefined;
  });
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 1000; tries++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('never came');
}

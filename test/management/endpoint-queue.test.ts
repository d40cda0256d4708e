import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoapTimeoutError } from '../../src/lwm2m/downlink.js';
import { EndpointQueues, type QueueGate } from '../../src/lwm2m/management/endpoint-queue.js';
import { DeviceSleepingError, NotRegisteredError } from '../../src/lwm2m/management/errors.js';

const open: QueueGate = { isOpen: () => true };

function limits(ms = 2000, signal = new AbortController().signal) {
  return { deadline: Date.now() + ms, signal };
}

/** A task that records when it ran and whether another task of the same endpoint was running. */
function recorder() {
  const log: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const task = (name: string, ms = 20) => async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    log.push(`start ${name}`);
    await sleep(ms);
    log.push(`end ${name}`);
    running--;
    return name;
  };
  return { log, task, maxRunning: () => maxRunning };
}

describe('EndpointQueues', () => {
  it('runs one task at a time per endpoint, in arrival order', async () => {
    const queues = new EndpointQueues(open);
    const { log, task, maxRunning } = recorder();
    const results = await Promise.all(['a', 'b', 'c'].map((name) => queues.run('ep', task(name), limits())));
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.equal(maxRunning(), 1);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs different endpoints in parallel', async () => {
    const queues = new EndpointQueues(open);
    const started: string[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const first = queues.run('ep1', async () => { started.push('ep1'); await blocked; }, limits());
    const second = queues.run('ep2', async () => { started.push('ep2'); }, limits());
    await second;
    assert.deepEqual(started, ['ep1', 'ep2'], 'ep2 ran while ep1 was still busy');
    release();
    await first;
  });

  it('a failing task does not block the ones behind it', async () => {
    const queues = new EndpointQueues(open);
    const failing = queues.run('ep', async () => { throw new Error('boom'); }, limits());
    const next = queues.run('ep', async () => 'next', limits());
    await assert.rejects(failing, /boom/);
    assert.equal(await next, 'next');
  });

  it('drops a waiting request whose deadline passes, without ever running it', async () => {
    const queues = new EndpointQueues(open);
    let lateRan = false;
    const long = queues.run('ep', () => sleep(150), limits());
    const late = queues.run('ep', async () => { lateRan = true; }, limits(40));
    await assert.rejects(late, CoapTimeoutError);
    assert.equal(queues.waitingCount('ep'), 0);
    await long;
    await sleep(10);
    assert.equal(lateRan, false);
  });

  it('removes a waiting request when its signal aborts and keeps the order of the others', async () => {
    const queues = new EndpointQueues(open);
    const { log, task } = recorder();
    const controller = new AbortController();
    const first = queues.run('ep', task('first', 50), limits());
    const aborted = queues.run('ep', task('aborted'), limits(2000, controller.signal));
    const third = queues.run('ep', task('third'), limits());
    controller.abort(new Error('client went away'));
    await assert.rejects(aborted, /client went away/);
    await Promise.all([first, third]);
    assert.deepEqual(log, ['start first', 'end first', 'start third', 'end third']);
  });

  it('rejects at once when the deadline already passed or the signal is aborted', async () => {
    const queues = new EndpointQueues(open);
    await assert.rejects(queues.run('ep', async () => 1, { deadline: Date.now() - 1, signal: new AbortController().signal }), CoapTimeoutError);
    await assert.rejects(queues.run('ep', async () => 1, { deadline: Date.now() + 1000, signal: AbortSignal.abort(new Error('gone')) }), /gone/);
  });

  it('holds requests while the gate is closed, sends them in order on wake, and reports a sleeping device at the deadline', async () => {
    let awake = false;
    const queues = new EndpointQueues({ isOpen: () => awake });
    const { log, task } = recorder();
    const first = queues.run('ep', task('first'), limits());
    const second = queues.run('ep', task('second'), limits());
    const expiring = queues.run('other', task('never'), limits(50));
    await assert.rejects(expiring, DeviceSleepingError);
    assert.deepEqual(log, []);
    awake = true;
    queues.wake('ep');
    assert.deepEqual(await Promise.all([first, second]), ['first', 'second']);
    assert.deepEqual(log, ['start first', 'end first', 'start second', 'end second']);
  });

  it('fails every waiting request when the registration goes away', async () => {
    const queues = new EndpointQueues({ isOpen: () => false });
    const waiting = [queues.run('ep', async () => 1, limits()), queues.run('ep', async () => 2, limits())];
    queues.rejectWaiting('ep', new NotRegisteredError('de-registered'));
    for (const request of waiting) await assert.rejects(request, NotRegisteredError);
    assert.equal(queues.waitingCount('ep'), 0);
  });
});

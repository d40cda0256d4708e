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

  describe('identical reads that wait share one request', () => {
    /** share() of `key` with hooks that count starts and joins; the task's value is a fresh object each time. */
    function sharer(queues: EndpointQueues) {
      const sent: Array<{ key: string; limits: { deadline: number; signal: AbortSignal } }> = [];
      let joined = 0;
      let started = 0;
      const gates: Array<() => void> = [];
      const share = (key: string, callerLimits = limits()) =>
        queues.share(
          'ep',
          key,
          async (sendLimits) => {
            sent.push({ key, limits: sendLimits });
            await new Promise<void>((resolve) => gates.push(resolve));
            return { key, reads: sent.length };
          },
          callerLimits,
          { started: () => started++, copy: (value) => ({ ...value }), joined: () => joined++ },
        );
      /** Lets the oldest task still running finish (waits for it to have started). */
      const release = async () => {
        await eventuallyTrue(() => gates.length > 0);
        gates.shift()!();
      };
      return { share, sent, gates, release, joined: () => joined, started: () => started };
    }

    it('joins a read still waiting, never the one in flight; each caller gets its own copy', async () => {
      const queues = new EndpointQueues(open);
      const { share, sent, release, joined, started } = sharer(queues);
      const first = share('/3/0');
      await eventuallyTrue(() => sent.length === 1);
      const waiting = [share('/3/0'), share('/3/0'), share('/3/0')];
      assert.equal(joined(), 2, 'the second and third joined the waiting one; the first was already sent');
      assert.equal(queues.waitingCount('ep'), 3, 'each caller counts as a waiting request');
      await release();
      assert.deepEqual(await first, { key: '/3/0', reads: 1 });
      await eventuallyTrue(() => sent.length === 2);
      await release();
      const answers = await Promise.all(waiting);
      assert.deepEqual(answers, [1, 2, 3].map(() => ({ key: '/3/0', reads: 2 })));
      assert.notEqual(answers[0], answers[1]);
      assert.equal(sent.length, 2);
      assert.equal(started(), 4);
    });

    it('does not join reads of another key, nor across a request that is not shared', async () => {
      const queues = new EndpointQueues(open);
      const { share, sent, gates, release } = sharer(queues);
      const order: string[] = [];
      const blocker = queues.run('ep', () => new Promise<void>((resolve) => gates.push(resolve)), limits());
      const before = [share('/3/0'), share('/5/0'), share('/3/0')];
      const write = queues.run('ep', async () => { order.push('write'); }, limits());
      const after = [share('/3/0'), share('/3/0')];
      await release();
      await blocker;
      await release();
      await release();
      await release();
      await Promise.all([...before, write, ...after]);
      assert.deepEqual(sent.map((read) => read.key), ['/3/0', '/5/0', '/3/0'], 'the reads queued before the write shared one request per key, and the two after it another');
      assert.deepEqual(order, ['write']);
      assert.deepEqual((await Promise.all(after)).map((answer) => answer.reads), [3, 3]);
    });

    it('a caller leaving while it waits leaves the others queued; the request goes out under the last deadline', async () => {
      const queues = new EndpointQueues(open);
      const { share, sent, gates, release } = sharer(queues);
      const blocker = queues.run('ep', () => new Promise<void>((resolve) => gates.push(resolve)), limits());
      const leaving = new AbortController();
      const first = share('/3/0', limits(2000, leaving.signal));
      const second = share('/3/0', limits(5000));
      leaving.abort(new Error('client went away'));
      await assert.rejects(first, /client went away/);
      assert.equal(queues.waitingCount('ep'), 1);
      await release();
      await blocker;
      await eventuallyTrue(() => sent.length === 1);
      assert.ok(sent[0].limits.deadline > Date.now() + 3000, 'sent under the deadline of the caller that stayed');
      await release();
      assert.deepEqual(await second, { key: '/3/0', reads: 1 });
    });

    it('a caller whose signal aborts while the shared read is in flight is answered at once; the read goes on for the others', async () => {
      const queues = new EndpointQueues(open);
      const { share, sent, gates, release } = sharer(queues);
      const blocker = queues.run('ep', () => new Promise<void>((resolve) => gates.push(resolve)), limits());
      const leaving = new AbortController();
      const first = share('/3/0', limits(2000, leaving.signal));
      const second = share('/3/0');
      await release();
      await blocker;
      await eventuallyTrue(() => sent.length === 1);
      leaving.abort(new Error('client went away'));
      await assert.rejects(first, /client went away/);
      assert.equal(sent[0].limits.signal.aborted, false, 'the read still has a caller');
      await release();
      assert.deepEqual(await second, { key: '/3/0', reads: 1 });
    });

    it('cancels the shared read once every caller has left it', async () => {
      const queues = new EndpointQueues(open);
      const { share, sent, gates, release } = sharer(queues);
      const blocker = queues.run('ep', () => new Promise<void>((resolve) => gates.push(resolve)), limits());
      const callers = [new AbortController(), new AbortController()];
      const reads = callers.map((controller) => share('/3/0', limits(2000, controller.signal)));
      await release();
      await blocker;
      await eventuallyTrue(() => sent.length === 1);
      callers[0].abort(new Error('gone 0'));
      assert.equal(sent[0].limits.signal.aborted, false);
      callers[1].abort(new Error('gone 1'));
      assert.equal(sent[0].limits.signal.aborted, true);
      await assert.rejects(reads[0], /gone 0/);
      await assert.rejects(reads[1], /gone 1/);
      await release();
    });

    it('a caller whose deadline passes while the shared read is in flight times out on its own', async () => {
      const queues = new EndpointQueues(open);
      const { share, sent, gates, release } = sharer(queues);
      const blocker = queues.run('ep', () => new Promise<void>((resolve) => gates.push(resolve)), limits());
      const short = share('/3/0', limits(300));
      const long = share('/3/0', limits(5000));
      await release();
      await blocker;
      await assert.rejects(short, CoapTimeoutError);
      assert.equal(sent.length, 1, 'it had been sent: the caller timed out waiting for the answer');
      await release();
      assert.deepEqual(await long, { key: '/3/0', reads: 1 });
    });
  });
});

/** Resolves once `condition` holds (checked on every turn of the event loop). */
async function eventuallyTrue(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

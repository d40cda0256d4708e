import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';
import { AWAKE_MS, PATIENT, PATIENT_COAP, QueueModeDevice, queued } from './queue-mode-device.js';

/** The proxy's count of reads that joined an identical waiting one (lwm2m_downlink_joined_reads_total). */
async function joinedReads(proxy: TestProxy): Promise<number> {
  const metrics = await (await fetch(proxy.url('/metrics'))).text();
  return Number(/^lwm2m_downlink_joined_reads_total\{operation="read"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

/**
 * Identical Reads waiting for the same device share one CoAP exchange. A sleeping queue-mode device holds every
 * request in the proxy's queue until it wakes, so the test decides exactly what waits together.
 */
describe('identical reads waiting for a device share one exchange', () => {
  let proxy: TestProxy;
  let device: QueueModeDevice;

  before(async () => {
    proxy = await startProxy({ ...PATIENT_COAP, QUEUE_MODE_AWAKE_MS: String(AWAKE_MS) });
    device = new QueueModeDevice(await attachDevice(proxy, { queueMode: true, autoUpdate: false }));
  });
  after(async () => {
    device.managed.device.close();
    await proxy.stop(true);
  });

  it('five Retrieves of deviceInfo waiting together: one GET, five correct answers', async () => {
    const { device: sim, node } = device.managed;
    await device.fallAsleep();
    const from = sim.requests.length;
    const joinedBefore = await joinedReads(proxy);
    const retrieves = [1, 2, 3, 4, 5].map(() => oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT));
    await queued(proxy, 5);
    await device.contact(sim.wake());
    const answers = await device.contact(Promise.all(retrieves));
    for (const answer of answers) {
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.equal(answer.body.man, 'Simulated Devices Ltd');
      assert.equal(answer.body.mod, 'SIM-LWM2M-1');
      assert.equal(answer.body.swv, '2.1.0');
    }
    assert.deepEqual(sentSince(sim, from), ['GET /3/0'], 'the five Reads of /3/0 went out as one');
    assert.equal((await joinedReads(proxy)) - joinedBefore, 4);
  });

  it('a write queued between reads is not overtaken: the reads before it share one GET, the ones after it another', async () => {
    const { device: sim, node } = device.managed;
    await device.fallAsleep();
    const from = sim.requests.length;
    const beforeWrite = [oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT), oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT)];
    await queued(proxy, 2);
    const write = oneM2M(proxy, 'PUT', `${node}/deviceInfo`, wrap('deviceInfo', { syst: '20000101T000000' }), PATIENT);
    await queued(proxy, 3);
    const afterWrite = [oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT), oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT)];
    await queued(proxy, 5);
    await device.contact(sim.wake());
    const [first, second, written, third, fourth] = await device.contact(Promise.all([...beforeWrite, write, ...afterWrite]));
    assert.equal(written.rsc, 2004, written.dbg);
    for (const answer of [first, second]) {
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.doesNotMatch(answer.body.syst, /^2000/, 'read before the write');
    }
    for (const answer of [third, fourth]) {
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.match(answer.body.syst, /^2000/, 'read after the write');
    }
    const sent = sentSince(sim, from);
    assert.equal(sent[0], 'GET /3/0');
    assert.equal(sent.at(-1), 'GET /3/0');
    assert.equal(sent.filter((request) => request === 'GET /3/0').length, 2, `one GET before the write, one after: ${sent.join(', ')}`);
    assert.ok(sent.slice(1, -1).some((request) => !request.startsWith('GET')), `the write went out between them: ${sent.join(', ')}`);
  });

  it('a Retrieve leaving the queue (its deadline passes) does not take the read it joined with it', async () => {
    const { device: sim, node } = device.managed;
    await device.fallAsleep();
    const from = sim.requests.length;
    const joinedBefore = await joinedReads(proxy);
    const expiring = oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, { 'X-M2M-RET': '3000' });
    await queued(proxy, 1);
    const lasting = oneM2M(proxy, 'GET', `${node}/deviceInfo`, undefined, PATIENT);
    await queued(proxy, 2);
    assert.equal((await joinedReads(proxy)) - joinedBefore, 1, 'the second joined the first');
    const expired = await expiring;
    assert.equal(expired.rsc, 6030, expired.dbg);
    await queued(proxy, 1);
    await device.contact(sim.wake());
    const answer = await device.contact(lasting);
    assert.equal(answer.rsc, 2000, answer.dbg);
    assert.equal(answer.body.man, 'Simulated Devices Ltd');
    assert.deepEqual(sentSince(sim, from), ['GET /3/0']);
  });
});

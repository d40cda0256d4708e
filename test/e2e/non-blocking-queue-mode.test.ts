import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { notificationReceiver } from '../helpers/notification-receiver.js';
import { eventually } from '../lwm2m/helpers.js';
import { attachDevice, oneM2M, sentSince, TEST_ENV, type ManagedDevice } from '../management/managed-devices.js';

/** A queue-mode device counts as reachable this long after its last message: short, so it falls asleep at once. */
const AWAKE_MS = 300;
/** RFC 7252 timing, so a device slowed by a loaded machine is not taken for a silent one. */
const ENV = { ...TEST_ENV, COAP_ACK_TIMEOUT_MS: '2000', COAP_MAX_RETRANSMIT: '4', QUEUE_MODE_AWAKE_MS: String(AWAKE_MS) };
const PATIENT = { 'X-M2M-RET': '60000' };
const UPPER_BOUND_MS = 30_000;

/** The device stops listening and the proxy's awake window since its last message has certainly passed. */
async function fallAsleep(managed: ManagedDevice): Promise<void> {
  const lastContact = Date.now();
  managed.device.sleep();
  await sleep(AWAKE_MS + 50 - (Date.now() - lastContact));
}

/** Sends a non-blocking request and returns the ri of its `<request>`. */
async function nonBlocking(proxy: TestProxy, path: string, rt: 1 | 2, rqi: string, headers: Record<string, string> = {}): Promise<string> {
  const answer = await oneM2M(proxy, 'GET', `${path}?rt=${rt}`, undefined, { ...PATIENT, 'X-M2M-RI': rqi, ...headers });
  assert.equal(answer.rsc, rt === 1 ? 1001 : 1002, answer.dbg);
  assert.equal(answer.headers.get('x-m2m-ri'), rqi);
  const uri = (answer.body as unknown as string);
  assert.equal(typeof uri, 'string', `m2m:uri in ${JSON.stringify(answer.body)}`);
  return uri;
}

async function requestResource(proxy: TestProxy, ri: string): Promise<Record<string, any>> {
  const answer = await oneM2M(proxy, 'GET', `/~/id-proxy/${ri}`);
  assert.equal(answer.rsc, 2000, answer.dbg);
  return answer.body;
}

/** The `<request>` once it is no longer PENDING. */
function finished(proxy: TestProxy, ri: string): Promise<Record<string, any>> {
  return eventually(async () => {
    const request = await requestResource(proxy, ri);
    return request.rs === 3 ? undefined : request;
  }, UPPER_BOUND_MS, `<request> ${ri} to finish`);
}

describe('non-blocking requests to a sleeping queue-mode device', () => {
  let proxy: TestProxy;
  let managed: ManagedDevice;
  let receiver: Awaited<ReturnType<typeof notificationReceiver>>;

  before(async () => {
    receiver = await notificationReceiver();
    proxy = await startTestProxy(ENV);
    managed = await attachDevice(proxy, { queueMode: true, autoUpdate: false });
  });
  after(async () => {
    managed.device.close();
    await proxy.stop(true);
    await receiver.close();
  });

  it('rt=1 and rt=2 answer at once; their <request>s stay PENDING until the device wakes, then complete and rt=2 is notified', async () => {
    await fallAsleep(managed);
    const from = managed.device.requests.length;
    const synch = await nonBlocking(proxy, `${managed.node}/deviceInfo`, 1, 'nb-synch');
    const asynch = await nonBlocking(proxy, `${managed.node}/battery`, 2, 'nb-asynch', { 'X-M2M-RTU': receiver.url });

    const pending = await requestResource(proxy, asynch);
    assert.equal(pending.rs, 3, 'PENDING while the device sleeps');
    assert.deepEqual([pending.op, pending.org, pending.rid], [2, 'CAdmin', 'nb-asynch']);
    assert.equal(pending.tg, `${managed.node}/battery`.replace(/^\//, ''));
    assert.deepEqual(pending.mi.rt, { rtv: 2, nu: [receiver.url] });
    assert.deepEqual(sentSince(managed.device, from), [], 'nothing is sent to a sleeping device');

    await managed.device.wake();
    const [first, second] = [await finished(proxy, synch), await finished(proxy, asynch)];
    assert.equal(first.rs, 1);
    assert.equal(first.ors.rsc, 2000);
    assert.equal(first.ors.fr, '/id-proxy');
    assert.equal(first.ors.to, 'CAdmin');
    assert.equal(typeof first.ors.pc['m2m:dvi'].man, 'string');
    assert.equal(second.ors.pc['m2m:bat'].btl, managed.device.value('/3/0/9'));

    const notification = await receiver.notificationOf('nb-asynch');
    assert.equal(notification.headers['x-m2m-origin'], '/id-proxy');
    assert.match(String(notification.headers['content-type']), /^application\/json/);
    assert.deepEqual(notification.body['m2m:rsp'], second.ors, 'the notification carries what the <request> holds');
    assert.equal(receiver.received.some((n) => n.body['m2m:rsp'].rqi === 'nb-synch'), false, 'rt=1 is not notified');
  });

  it('a deadline that passes while the request waits: the command is never sent and the <request> fails from the tables', async () => {
    await fallAsleep(managed);
    const ri = await nonBlocking(proxy, `${managed.node}/memory`, 1, 'nb-expired', { 'X-M2M-RET': '800' });
    const failed = await finished(proxy, ri);
    assert.equal(failed.rs, 2);
    assert.equal(failed.ors.rsc, 6030, JSON.stringify(failed.ors));
    const from = managed.device.requests.length;
    await managed.device.wake();
    const probe = await oneM2M(proxy, 'GET', `${managed.node}/battery`, undefined, PATIENT);
    assert.equal(probe.rsc, 2000, probe.dbg);
    assert.deepEqual(sentSince(managed.device, from), ['GET /3/0'], 'only the later request reached the device');
  });

  it('deleting a PENDING <request> withdraws its command: the device never gets it', async () => {
    await fallAsleep(managed);
    const ri = await nonBlocking(proxy, `${managed.node}/deviceInfo`, 1, 'nb-withdrawn');
    const deleted = await oneM2M(proxy, 'DELETE', `/~/id-proxy/${ri}`);
    assert.equal(deleted.rsc, 2002, deleted.dbg);
    assert.equal((await oneM2M(proxy, 'GET', `/~/id-proxy/${ri}`)).rsc, 4004);
    const from = managed.device.requests.length;
    await managed.device.wake();
    const probe = await oneM2M(proxy, 'GET', `${managed.node}/battery`, undefined, PATIENT);
    assert.equal(probe.rsc, 2000, probe.dbg);
    assert.deepEqual(sentSince(managed.device, from), ['GET /3/0'], 'the withdrawn read never went out, the later one did');
  });
});

describe('a non-blocking request survives a proxy restart', () => {
  it('rt=2 queued for a sleeping device completes and is notified by the restarted proxy when the device wakes', async () => {
    const receiver = await notificationReceiver();
    let proxy = await startTestProxy(ENV);
    const managed = await attachDevice(proxy, { queueMode: true, autoUpdate: false });
    try {
      await fallAsleep(managed);
      const ri = await nonBlocking(proxy, `${managed.node}/battery`, 2, 'nb-restart', { 'X-M2M-RTU': receiver.url });
      const { coapPort, dataDir } = proxy;
      await proxy.stop();
      // the device knows the server by its address: the restarted proxy listens where it did
      proxy = await startTestProxy({ ...ENV, COAP_PORT: String(coapPort) }, dataDir);
      assert.equal((await requestResource(proxy, ri)).rs, 3, 'still PENDING after the restart');
      const from = managed.device.requests.length;
      await managed.device.wake();
      const notification = await receiver.notificationOf('nb-restart');
      assert.equal(notification.body['m2m:rsp'].rsc, 2000);
      assert.equal(notification.body['m2m:rsp'].pc['m2m:bat'].btl, managed.device.value('/3/0/9'));
      assert.equal((await requestResource(proxy, ri)).rs, 1);
      assert.deepEqual(sentSince(managed.device, from), ['GET /3/0'], 'sent once, by the restarted proxy');
    } finally {
      managed.device.close();
      await proxy.stop(true);
      await receiver.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import type { SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { option, ObserverPeer, rawRequest, uint, type ObserveHandle } from './observer-peer.js';
import { downlink, eventually, startTestPeer, withSimulatedDevice, type PeerRequest } from './test-peer.js';

const { TEXT, LINK_FORMAT } = ContentFormat;

/** What the device reported through its observation events, in order. */
function recordObserveEvents(device: SimulatedDevice): string[] {
  const events: string[] = [];
  device.on('observed', (path: string) => events.push(`observed ${path}`));
  device.on('observe-cancelled', (path: string, how: string) => events.push(`cancelled ${path} ${how}`));
  device.on('notified', (path: string, payload: Buffer, sequence: number) => events.push(`notified ${path} ${payload.toString()} #${sequence}`));
  return events;
}

function writeText(device: SimulatedDevice, path: string, text: string) {
  return downlink(device.address(), { method: 'PUT', path, contentFormat: TEXT, payload: text });
}

function writeAttributes(device: SimulatedDevice, path: string, ...query: string[]) {
  return downlink(device.address(), { method: 'PUT', path, query });
}

describe('simulated device: Observe', () => {
  let peer: ObserverPeer;
  before(async () => {
    peer = await ObserverPeer.open();
  });
  after(() => peer.close());

  /** Waits until the observation has exactly `values` as its notifications so far. */
  const notifiedValues = (handle: ObserveHandle, values: string[], what: string, timeoutMs = 10_000) =>
    peer.waitFor(() => (peer.notifications(handle.token).length >= values.length ? peer.notifications(handle.token) : undefined), what, timeoutMs).then((seen) => {
      assert.deepEqual(seen, values, what);
    });

  it('notifies firmware State through download and update (1 → 2, then 3 → 0 with Update Result 1), confirmable, same token, rising Observe', () =>
    withSimulatedDevice({ endpoint: 'obs-fw', timing: { downloadMs: 200, updateMs: 200 } }, async (device) => {
      const events = recordObserveEvents(device);
      const state = await peer.observe(device.address(), '/5/0/3');
      assert.equal(state.first.packet.code, '2.05');
      assert.equal(state.first.text, '0');
      assert.equal(typeof state.first.observe, 'number', 'the Observe answer carries Observe');
      const result = await peer.observe(device.address(), '/5/0/5');
      assert.equal(result.first.text, '0');
      assert.deepEqual(device.observations(), [{ path: '/5/0/3' }, { path: '/5/0/5' }]);

      assert.equal((await writeText(device, '/5/0/1', 'sim:fw-2.0')).code, '2.04');
      await notifiedValues(state, ['1', '2'], 'Downloading then Downloaded');
      assert.equal((await downlink(device.address(), { method: 'POST', path: '/5/0/2' })).code, '2.04');
      await notifiedValues(state, ['1', '2', '3', '0'], 'Updating then Idle');
      await notifiedValues(result, ['1'], 'Update Result success');

      const messages = peer.messages(state.token);
      assert.ok(messages.slice(1).every((message) => message.packet.confirmable), 'notifications are confirmable');
      assert.ok(messages.slice(1).every((message) => message.packet.options.some((entry) => entry.name === 'Content-Format')), 'notifications say their format');
      const sequence = messages.map((message) => message.observe!);
      assert.deepEqual([...sequence].sort((a, b) => a - b), sequence, 'Observe numbers rise');
      assert.equal(new Set(sequence).size, sequence.length);
      assert.deepEqual(events.filter((event) => event.startsWith('notified /5/0/3')).map((event) => event.split(' ')[2]), ['1', '2', '3', '0']);
      assert.deepEqual(events.slice(0, 2), ['observed /5/0/3', 'observed /5/0/5']);
    }));

  it('observes instances and objects too (content as a Read), and keeps one observation per peer and path', () =>
    withSimulatedDevice({ endpoint: 'obs-instance', objects: ['/3/0', '/9/0', '/9/1'] }, async (device) => {
      const events = recordObserveEvents(device);
      const instance = await peer.observe(device.address(), '/3/0', { accept: ContentFormat.SENML_JSON });
      assert.equal(instance.first.packet.code, '2.05');
      assert.match(instance.first.text, /"n":"9","v":87/);
      const object = await peer.observe(device.address(), '/9');
      device.setValue('/3/0/9', 42);
      await peer.waitFor(() => peer.notifications(instance.token).find((text) => text.includes('"n":"9","v":42')), 'instance notification');
      device.setValue('/9/1/0', 'app-b');
      await peer.waitFor(() => peer.messages(object.token).slice(1).find((message) => message.packet.payload.includes('app-b')), 'object notification');

      const again = await peer.observe(device.address(), '/3/0', { accept: ContentFormat.SENML_JSON });
      assert.notEqual(again.token, instance.token);
      assert.ok(events.includes('cancelled /3/0 replaced'));
      assert.deepEqual(device.observations().map((observation) => observation.path).sort(), ['/3/0', '/9']);
    }));

  it('holds a change back until pmin has passed, with attributes inherited from the instance and overridden by the resource', () =>
    withSimulatedDevice({ endpoint: 'obs-pmin', timing: { downloadMs: 50 } }, async (device) => {
      assert.equal((await writeAttributes(device, '/5/0', 'pmin=2', 'pmax=30')).code, '2.04');
      assert.equal((await writeAttributes(device, '/5/0/5', 'pmin=0')).code, '2.04');
      let observedAt = 0;
      device.once('observed', () => (observedAt = Date.now()));
      const state = await peer.observe(device.address(), '/5/0/3');
      await peer.observe(device.address(), '/5/0/5');
      assert.deepEqual(device.observations(), [
        { path: '/5/0/3', pmin: 2, pmax: 30 },
        { path: '/5/0/5', pmin: 0, pmax: 30 },
      ]);
      await writeText(device, '/5/0/1', 'sim:fw');
      await eventually(() => assert.equal(device.value('/5/0/3'), 2));
      const notification = await peer.waitFor(() => peer.messages(state.token)[1], 'notification after pmin');
      assert.equal(notification.text, '2', 'the latest value goes out; Downloading (1) came and went inside pmin');
      assert.ok(notification.at - observedAt >= 1950, `arrived ${notification.at - observedAt} ms after the Observe answer went out, pmin is 2 s`);
    }));

  it('sends the current value every pmax seconds without a change, and a change at once (pmin 0)', () =>
    withSimulatedDevice({ endpoint: 'obs-pmax' }, async (device) => {
      assert.equal((await writeAttributes(device, '/3/0/9', 'pmax=1')).code, '2.04');
      const sentAt: number[] = [];
      device.on('notified', () => sentAt.push(Date.now()));
      const battery = await peer.observe(device.address(), '/3/0/9');
      assert.equal(battery.first.text, '87');
      const [first, second] = await peer.waitFor(() => (peer.messages(battery.token).length >= 3 ? peer.messages(battery.token).slice(1) : undefined), 'two pmax notifications');
      assert.deepEqual([first.text, second.text], ['87', '87']);
      assert.ok(sentAt[1] - sentAt[0] >= 950, `pmax notifications sent ${sentAt[1] - sentAt[0]} ms apart, pmax is 1 s`);
      device.setValue('/3/0/9', 55);
      await peer.waitFor(() => peer.notifications(battery.token).find((text) => text === '55'), 'the change');
    }));

  it('cancels on a Reset to a notification: observations() empty, no more notifications', () =>
    withSimulatedDevice({ endpoint: 'obs-rst' }, async (device) => {
      const events = recordObserveEvents(device);
      const battery = await peer.observe(device.address(), '/3/0/9');
      const barrier = await peer.observe(device.address(), '/3/0/10');
      battery.forget();
      device.setValue('/3/0/9', 10);
      await eventually(() => assert.ok(events.includes('cancelled /3/0/9 rst')));
      assert.deepEqual(device.observations(), [{ path: '/3/0/10' }]);
      device.setValue('/3/0/9', 20);
      device.setValue('/3/0/10', 1234);
      await peer.waitFor(() => peer.notifications(barrier.token).find((text) => text === '1234'), 'the other observation still notifying');
      assert.deepEqual(peer.notifications(battery.token), ['10'], 'only the notification the Reset answered');
    }));

  it('cancels on GET with Observe=1, answered as a plain read', () =>
    withSimulatedDevice({ endpoint: 'obs-cancel' }, async (device) => {
      const events = recordObserveEvents(device);
      const battery = await peer.observe(device.address(), '/3/0/9');
      const barrier = await peer.observe(device.address(), '/3/0/10');
      battery.cancel();
      await eventually(() => assert.ok(events.includes('cancelled /3/0/9 observe-1')));
      const answer = await peer.waitFor(() => peer.messages(battery.token)[1], 'answer to Observe=1');
      assert.equal(answer.packet.code, '2.05');
      assert.equal(answer.observe, undefined, 'no Observe option: a plain read');
      assert.equal(answer.text, '87');
      assert.deepEqual(device.observations(), [{ path: '/3/0/10' }]);
      device.setValue('/3/0/9', 20);
      device.setValue('/3/0/10', 4321);
      await peer.waitFor(() => peer.notifications(barrier.token).find((text) => text === '4321'), 'the other observation still notifying');
      assert.equal(peer.messages(battery.token).length, 2, 'nothing after the cancel');
    }));

  it('holds notifications while asleep and sends the latest one after the Update that wake() sends was answered', async () => {
    const log: string[] = [];
    const server = await startTestPeer((request: PeerRequest) => {
      if (request.method === 'POST' && request.path.startsWith('/rd/')) log.push('update');
      return request.path === '/rd' ? { code: '2.01', locationPath: ['rd', 'q1'] } : { code: '2.04' };
    });
    try {
      await withSimulatedDevice({ endpoint: 'obs-queue', server, queueMode: true }, async (device) => {
        assert.equal((await device.register()).code, '2.01');
        const battery = await peer.observe(device.address(), '/3/0/9');
        peer.waitFor(() => (peer.messages(battery.token).length > 1 ? true : undefined), 'notification', 20_000).then(
          () => log.push('notification'),
          () => undefined,
        );
        device.sleep();
        device.setValue('/3/0/9', 10);
        await new Promise((resolve) => setTimeout(resolve, 50)); // time for the device to misbehave
        device.setValue('/3/0/9', 20);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(peer.notifications(battery.token), [], 'nothing while asleep');
        assert.equal((await device.wake()).code, '2.04');
        await peer.waitFor(() => peer.notifications(battery.token)[0], 'the held notification');
        assert.deepEqual(log, ['update', 'notification'], 'the Update first');
        device.setValue('/3/0/9', 30);
        await peer.waitFor(() => peer.notifications(battery.token)[1], 'the next change');
        assert.deepEqual(peer.notifications(battery.token), ['20', '30'], 'one notification for what happened while asleep: the latest value');
      });
    } finally {
      server.close();
    }
  });

  it('ends observations on de-registration and on a new registration', async () => {
    const server = await startTestPeer();
    try {
      await withSimulatedDevice({ endpoint: 'obs-reg', server }, async (device) => {
        const events = recordObserveEvents(device);
        await device.register();
        await peer.observe(device.address(), '/3/0/9');
        assert.equal((await device.deregister()).code, '2.02');
        assert.deepEqual(device.observations(), []);
        await peer.observe(device.address(), '/3/0/9');
        await device.register();
        assert.deepEqual(device.observations(), []);
        assert.deepEqual(events.filter((event) => event.startsWith('cancelled')), ['cancelled /3/0/9 deregister', 'cancelled /3/0/9 registration']);
      });
    } finally {
      server.close();
    }
  });

  it('lets an update stay Updating (timing.updateMs: Infinity) until a test moves it on with setValue', () =>
    withSimulatedDevice({ endpoint: 'obs-stuck', timing: { downloadMs: 20, updateMs: Infinity } }, async (device) => {
      const state = await peer.observe(device.address(), '/5/0/3');
      await writeText(device, '/5/0/1', 'sim:fw');
      await notifiedValues(state, ['1', '2'], 'download');
      await downlink(device.address(), { method: 'POST', path: '/5/0/2' });
      await notifiedValues(state, ['1', '2', '3'], 'Updating');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(device.value('/5/0/3'), 3, 'still Updating');
      device.setValue('/5/0/5', 8);
      device.setValue('/5/0/3', 2);
      await notifiedValues(state, ['1', '2', '3', '2'], 'moved on by the test');
    }));

  it('answers malformed or odd Observe requests sensibly and keeps working', () =>
    withSimulatedDevice({ endpoint: 'obs-odd' }, async (device) => {
      const events = recordObserveEvents(device);
      const address = device.address();
      const observeZero = option('Observe', Buffer.alloc(0));
      const path = (text: string) => text.split('/').filter(Boolean).map((segment) => option('Uri-Path', Buffer.from(segment)));

      const put = await rawRequest(address, { code: '0.03', options: [observeZero, ...path('/3/0/15'), option('Content-Format', uint(TEXT))], payload: Buffer.from('Asia/Tokyo') });
      assert.equal(put.packet.code, '2.04', 'Observe on a PUT is ignored, the Write done');
      assert.equal(put.packet.messageId, 4711, 'piggybacked on the request');
      assert.equal(device.value('/3/0/15'), 'Asia/Tokyo');
      const post = await rawRequest(address, { code: '0.02', options: [observeZero, ...path('/3/0/12')] });
      assert.equal(post.packet.code, '2.04');
      const missing = await rawRequest(address, { code: '0.01', options: [observeZero, ...path('/3/0/99')] });
      assert.deepEqual([missing.packet.code, missing.observe], ['4.04', undefined]);
      const security = await rawRequest(address, { code: '0.01', options: [observeZero, ...path('/0/0')] });
      assert.equal(security.packet.code, '4.01');
      const discover = await rawRequest(address, { code: '0.01', options: [observeZero, ...path('/3/0'), option('Accept', uint(LINK_FORMAT))] });
      assert.deepEqual([discover.packet.code, discover.observe], ['2.05', undefined], 'Discover is not observed');
      const unacceptable = await rawRequest(address, { code: '0.01', options: [observeZero, ...path('/3/0/9'), option('Accept', uint(ContentFormat.LWM2M_JSON))] });
      assert.equal(unacceptable.packet.code, '4.06');
      const oddValue = await rawRequest(address, { code: '0.01', options: [option('Observe', Buffer.from([0, 0, 7])), ...path('/3/0/9')] });
      assert.deepEqual([oddValue.packet.code, oddValue.observe, oddValue.text], ['2.05', undefined, '87'], 'another Observe value: a plain read');
      const stray = await rawRequest(address, { code: '0.01', options: [option('Observe', uint(1)), ...path('/3/0/9')] });
      assert.deepEqual([stray.packet.code, stray.observe], ['2.05', undefined], 'Observe=1 without an observation: a plain read');
      const nonConfirmable = await rawRequest(address, { code: '0.01', confirmable: false, options: [observeZero, ...path('/3/0/9')], token: Buffer.from([9]) });
      assert.equal(nonConfirmable.packet.code, '2.05');

      assert.deepEqual(device.observations(), [{ path: '/3/0/9' }], 'only the well-formed non-confirmable Observe is kept');
      assert.deepEqual(events, ['observed /3/0/9']);
      assert.equal((await downlink(address, { method: 'GET', path: '/3/0/9' })).payload.toString(), '87', 'still answering');
    }));
});

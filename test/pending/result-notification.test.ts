import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import type { ScriptedReport } from '../tree/scripted-device-adapter.js';
import {
  BATTERY, deferred, deliveryDone, finalRequest, notificationReceiver, openDevice, operationOf, requestRiOf,
} from './pending-fixture.js';

test('rt=2 answers 1002 and sends the final response to every X-M2M-RTU target as an HTTP Notify', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const first = await notificationReceiver();
  const second = await notificationReceiver();
  t.after(() => Promise.all([first.close(), second.close()]));
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;

  const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 2, nu: [first.url, second.url] }, fr: 'CAlice', rqi: 'as-1', rvi: '3' });
  assert.equal(response.rsc, 1002, JSON.stringify(response));
  const ri = requestRiOf(response);
  assert.equal(first.received.length + second.received.length, 0, 'nothing is notified before the result');

  answer.resolve({ code: '2.05', attributes: { btl: 64 } });
  const done = await finalRequest(h, ri, 'CAlice');
  for (const receiver of [first, second]) {
    const [notify] = await receiver.waitFor(1);
    assert.equal(notify.method, 'POST');
    assert.equal(notify.headers['content-type'], 'application/json', 'a Notify has no ty= in its Content-Type');
    assert.equal(notify.headers['x-m2m-origin'], '/id-proxy');
    assert.ok(notify.headers['x-m2m-ri'] && notify.headers['x-m2m-ri'] !== 'as-1', 'the Notify is a request of its own');
    assert.deepEqual(notify.body, { 'm2m:rsp': done.ors }, 'the notification carries the operation result of the <request>');
    const rsp = notify.body['m2m:rsp'] as Record<string, unknown>;
    assert.deepEqual({ rsc: rsp.rsc, rqi: rsp.rqi, to: rsp.to, fr: rsp.fr, rvi: rsp.rvi }, { rsc: 2000, rqi: 'as-1', to: 'CAlice', fr: '/id-proxy', rvi: '3' });
    assert.equal(((rsp.pc as Record<string, Record<string, unknown>>)['m2m:bat']).btl, 64);
  }
  await deliveryDone(h, ri);
});

test('a failed result is notified too, and a target that answers an error is retried after NOTIFY_BACKOFF_MS', async (t) => {
  const { h, adapter } = await openDevice({ NOTIFY_BACKOFF_MS: '100', NOTIFY_RETRIES: '3' });
  t.after(() => h.close());
  const receiver = await notificationReceiver((index) => (index === 0 ? 500 : 200));
  t.after(() => receiver.close());
  adapter.script.retrieve = () => ({ code: '4.04' });

  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 2, nu: [receiver.url] }, rqi: 'as-2' }));
  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 2);
  const [refused, retried] = await receiver.waitFor(2);
  assert.deepEqual(retried.body, refused.body, 'the retry sends the same result');
  assert.equal((retried.body['m2m:rsp'] as Record<string, unknown>).rsc, 6005);
  assert.notEqual(retried.headers['x-m2m-ri'], refused.headers['x-m2m-ri']);
  await deliveryDone(h, ri);
});

test('rt=2 with an empty X-M2M-RTU notifies nobody: the result is only in the <request>', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 3 };
  const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 2, nu: [] } });
  assert.equal(response.rsc, 1002);
  const ri = requestRiOf(response);
  const done = await finalRequest(h, ri);
  assert.equal((done.ors as Record<string, unknown>).rsc, 2000);
  const record = await operationOf(h, ri);
  assert.equal(record?.state, 'completed');
  assert.equal(record?.notification, undefined, 'no notification is pending');
});

test('deleting a completed <request> removes its stored operation for good, even while its notification is still retried', async (t) => {
  const { h, adapter } = await openDevice({ NOTIFY_BACKOFF_MS: '200', NOTIFY_RETRIES: '3' });
  t.after(() => h.close());
  const receiver = await notificationReceiver((index) => (index < 2 ? 503 : 200));
  t.after(() => receiver.close());
  adapter.deviceValues.battery = { btl: 8 };
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 2, nu: [receiver.url] } }));
  await finalRequest(h, ri);
  await receiver.waitFor(1);
  assert.equal((await h.request({ op: Operation.Delete, to: ri })).rsc, 2002);
  assert.equal(await operationOf(h, ri), undefined);

  await receiver.waitFor(3);
  assert.equal(await operationOf(h, ri), undefined, 'a later delivery attempt does not store the operation again');
  assert.deepEqual(await h.store.pendingOperations.unfinished(), []);
});

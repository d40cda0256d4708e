import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import type { ScriptedReport } from '../tree/scripted-device-adapter.js';
import { body } from '../tree/tree-harness.js';
import {
  BATTERY, deferred, eventually, finalRequest, notificationReceiver, openDevice, requestChildren, requestRiOf,
} from './pending-fixture.js';

/** Long enough for an answer the device gives at once, even on a loaded machine; short enough for a test to outwait. */
const FLEX = { FLEX_BLOCKING_WAIT_MS: '400' };

test('rt=4 answers blocking when the result comes within FLEX_BLOCKING_WAIT_MS, without a <request>', async (t) => {
  const { h, adapter } = await openDevice({ FLEX_BLOCKING_WAIT_MS: '10000' });
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 91 };
  const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 4 }, fr: 'CAlice' });
  assert.equal(response.rsc, 2000, JSON.stringify(response));
  assert.equal(body(response).btl, 91);
  assert.deepEqual(await requestChildren(h, 'CAlice'), []);
});

test('rt=4 without X-M2M-RTU goes on as rt=1 when the device is slower than FLEX_BLOCKING_WAIT_MS', async (t) => {
  const { h, adapter } = await openDevice(FLEX);
  t.after(() => h.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;
  const client = new AbortController();
  const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 4 }, fr: 'CAlice', signal: client.signal });
  assert.equal(response.rsc, 1001, JSON.stringify(response));
  const ri = requestRiOf(response);

  // the client has its answer: its going away no longer ends the work
  client.abort();
  assert.equal(adapter.calls[0].ctx.signal.aborted, false);
  answer.resolve({ code: '2.05', attributes: { btl: 12 } });
  const done = await finalRequest(h, ri, 'CAlice');
  assert.equal(done.rs, 1);
  assert.equal(((done.ors as Record<string, Record<string, Record<string, unknown>>>).pc['m2m:bat']).btl, 12);
  assert.deepEqual(done.mi, { rt: { rtv: 4 } });
});

test('rt=4 with X-M2M-RTU goes on as rt=2 when the device is slower than FLEX_BLOCKING_WAIT_MS', async (t) => {
  const { h, adapter } = await openDevice(FLEX);
  t.after(() => h.close());
  const receiver = await notificationReceiver();
  t.after(() => receiver.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;
  const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 4, nu: [receiver.url] }, rqi: 'flex-2' });
  assert.equal(response.rsc, 1002, JSON.stringify(response));
  const ri = requestRiOf(response);

  answer.resolve({ code: '2.05', attributes: { btl: 13 } });
  const [notify] = await receiver.waitFor(1);
  const rsp = notify.body['m2m:rsp'] as Record<string, unknown>;
  assert.deepEqual({ rsc: rsp.rsc, rqi: rsp.rqi }, { rsc: 2000, rqi: 'flex-2' });
  assert.equal((await finalRequest(h, ri)).rs, 1);
});

test('a blocking rt=4 request whose client goes away within FLEX_BLOCKING_WAIT_MS ends its device work', async (t) => {
  const { h, adapter } = await openDevice({ FLEX_BLOCKING_WAIT_MS: '10000' });
  t.after(() => h.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;
  t.after(() => answer.resolve({ code: '2.05' }));
  const client = new AbortController();
  const answered = h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 4 }, signal: client.signal });
  const call = await eventually(async () => adapter.calls[0], 5000, 'the device call');
  client.abort();
  assert.equal(call.ctx.signal.aborted, true);
  assert.notEqual((await answered).rsc, 2000);
});

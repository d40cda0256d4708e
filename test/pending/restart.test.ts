import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceReport } from '../../src/core/device-adapter.js';
import { Operation } from '../../src/core/primitives.js';
import { oneM2MTimestamp } from '../../src/onem2m/resources/onem2m-time.js';
import type { AdapterCall, ScriptedReport } from '../tree/scripted-device-adapter.js';
import {
  BATTERY, deferred, deliveryDone, eventually, finalRequest, FIRMWARE, notificationReceiver, openDevice, operationInState, operationOf, requestRiOf,
  storedAttrs, type Attrs, type Deferred,
} from './pending-fixture.js';

/** A device call that never answers (until the test ends). */
function held(t: { after(fn: () => void): void }): Deferred<ScriptedReport> {
  const answer = deferred<ScriptedReport>();
  t.after(() => answer.resolve({ code: '5.03' }));
  return answer;
}

test('after a restart, an operation still queued runs again with its original deadline', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const first = held(t);
  adapter.script.retrieve = () => first.promise;
  const deadline = Date.now() + 60_000;
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, rqi: 'rs-1', rqet: oneM2MTimestamp(new Date(deadline)), deadline }));
  const before = await eventually(async () => adapter.calls[0], 5000, 'the first device call');
  assert.equal((await operationOf(h, ri))?.state, 'queued');

  adapter.script.retrieve = () => ({ code: '2.05', attributes: { btl: 33 } });
  await h.restart();
  assert.equal(before.ctx.signal.aborted, true, 'the shutdown aborts the call in flight');
  const again = await eventually(async () => adapter.calls[1], 5000, 'the call after the restart');
  assert.equal(again.method, 'retrieve');
  assert.equal(again.obj.ri, before.obj.ri);
  assert.equal(again.ctx.deadline, deadline);
  assert.equal(again.ctx.requestId, 'rs-1');

  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 1);
  assert.equal(((done.ors as { pc: Record<string, Attrs> }).pc['m2m:bat']).btl, 33);
  assert.equal(adapter.calls.length, 2);
});

test("after a restart, an operation whose command was sent fails with the 'timeout' row: its outcome is unknown", async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const answer = held(t);
  adapter.script.update = ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'sent' });
    return answer.promise;
  };
  const ri = requestRiOf(await h.request({ op: Operation.Update, to: BATTERY, pc: { 'm2m:bat': { btl: 50 } }, rt: { rtv: 1 }, rqi: 'rs-2' }));
  await operationInState(h, ri, 'sent');

  await h.restart();
  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 2);
  const ors = done.ors as { rsc: number; rqi: string; pc: Attrs };
  assert.equal(ors.rsc, 6003);
  assert.equal(ors.rqi, 'rs-2');
  assert.match(String(ors.pc['m2m:dbg']), /^error - not reachable .*unknown/);
  assert.equal(adapter.calls.length, 1, 'a command that may have been carried out is not sent again');
  assert.equal((await operationOf(h, ri))?.state, 'failed');
});

function executeAccepted(uds: Attrs): DeviceReport {
  return { technology: 'lwm2m', operation: 'execute', code: '2.04', attributes: { uds } };
}

test('after a restart, an accepted non-blocking operation is carried on through adapter.resume and completes its <request>', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const answer = held(t);
  adapter.script.update = ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'sent' });
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 3 }), resume: { token: 'fw-42' } });
    return answer.promise;
  };
  const ri = requestRiOf(await h.request({ op: Operation.Update, to: FIRMWARE, pc: { 'm2m:fwr': { ud: true } }, rt: { rtv: 1 } }));
  const accepted = await operationInState(h, ri, 'accepted');
  const firstCall = adapter.calls[0];

  adapter.script.resume = () => ({ operation: 'execute', code: '2.04', attributes: { uds: { acn: 'ud', sus: 1 }, vr: '2.0' } });
  await h.restart();
  const resumed = await eventually(async () => adapter.calls.find((call) => call.method === 'resume'), 5000, 'adapter.resume');
  assert.deepEqual(resumed.changes, { resume: { token: 'fw-42' } });
  assert.deepEqual(resumed.device, firstCall.device);
  assert.equal(resumed.obj.ri, firstCall.obj.ri);
  assert.equal(resumed.ctx.deadline, accepted.deadline, 'the resumed call keeps the progress deadline');

  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 1);
  assert.equal((done.ors as Attrs).rsc, 2004);
  assert.deepEqual((await storedAttrs(h, FIRMWARE)).uds, { acn: 'ud', sus: 1 });
  assert.equal((await storedAttrs(h, FIRMWARE)).vr, '2.0');
  assert.equal(adapter.calls.filter((call) => call.method === 'update').length, 1, 'the Update is not sent again');
});

test("after a restart, a blocking request's accepted work is carried on and its final report updates the mgmtObj", async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const answer = held(t);
  adapter.script.update = ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 3 }), resume: { token: 'blocking' } });
    return answer.promise;
  };
  assert.equal((await h.request({ op: Operation.Update, to: FIRMWARE, pc: { 'm2m:fwr': { ud: true } } })).rsc, 2004);
  await eventually(async () => ((await h.store.pendingOperations.unfinished()).some((op) => op.state === 'accepted') ? true : undefined), 5000, 'the accepted work to be stored');

  adapter.script.resume = () => ({ operation: 'execute', code: '2.04', attributes: { uds: { acn: 'ud', sus: 1 } } });
  await h.restart();
  const resumed = await eventually(async () => adapter.calls.find((call) => call.method === 'resume'), 5000, 'adapter.resume');
  assert.deepEqual(resumed.changes, { resume: { token: 'blocking' } });
  await eventually(async () => (JSON.stringify((await storedAttrs(h, FIRMWARE)).uds) === '{"acn":"ud","sus":1}' ? true : undefined), 10_000, 'the final uds');
  await eventually(async () => ((await h.store.pendingOperations.unfinished()).length === 0 ? true : undefined), 5000, 'the finished operation to be removed');
});

test('after a restart, a result notification not yet delivered is delivered', async (t) => {
  const { h, adapter } = await openDevice({ NOTIFY_BACKOFF_MS: '500', NOTIFY_RETRIES: '10' });
  t.after(() => h.close());
  let restarted = false;
  const receiver = await notificationReceiver(() => (restarted ? 200 : 503));
  t.after(() => receiver.close());
  adapter.deviceValues.battery = { btl: 71 };

  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 2, nu: [receiver.url] }, rqi: 'rs-n' }));
  await receiver.waitFor(1);
  await eventually(async () => ((await operationOf(h, ri))?.notification?.attempts ? true : undefined), 5000, 'the failed attempt to be saved');

  await h.restart();
  restarted = true;
  const countBefore = receiver.received.length;
  const all = await receiver.waitFor(countBefore + 1);
  const delivered = all.at(-1)!;
  assert.deepEqual(delivered.body, all[0].body, 'the same result goes out after the restart');
  assert.equal((delivered.body['m2m:rsp'] as Attrs).rqi, 'rs-n');
  await deliveryDone(h, ri);
});

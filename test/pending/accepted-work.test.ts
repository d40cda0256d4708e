import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceReport } from '../../src/core/device-adapter.js';
import { Operation } from '../../src/core/primitives.js';
import type { AdapterCall, ScriptedReport } from '../tree/scripted-device-adapter.js';
import { body } from '../tree/tree-harness.js';
import {
  deferred, eventually, finalRequest, FIRMWARE, isAround, openDevice, operationInState, requestAttrs, requestRiOf, storedAttrs, type Attrs,
} from './pending-fixture.js';

const UPDATE_FIRMWARE = { op: Operation.Update, to: FIRMWARE, pc: { 'm2m:fwr': { ud: true } } } as const;

/** What an LwM2M device says when it accepts the firmware update Execute: 2.04, the update runs on. */
function executeAccepted(uds: Attrs): DeviceReport {
  return { technology: 'lwm2m', operation: 'execute', code: '2.04', attributes: { uds } };
}

/** The device accepts the update and reports no end until the test resolves the returned final report (or ends). */
function acceptedWithoutEnd(adapter: Awaited<ReturnType<typeof openDevice>>['adapter'], t: { after(fn: () => void): void }) {
  const final = deferred<ScriptedReport>();
  t.after(() => final.resolve({ code: '2.04' }));
  adapter.script.update = ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 3 }), resume: {} });
    return final.promise;
  };
  return final;
}

/** Waits (bounded) until the firmware mgmtObj stores `uds`. */
function storedUds(h: Parameters<typeof storedAttrs>[0], uds: Attrs): Promise<true> {
  return eventually(async () => {
    const { uds: stored } = await storedAttrs(h, FIRMWARE);
    return JSON.stringify(stored) === JSON.stringify(uds) ? true : undefined;
  }, 10_000, `firmware uds ${JSON.stringify(uds)}`);
}

test('a blocking Update the device accepted is answered with the accepted report (execute 2.04 → 2004) and its attributes are stored', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const final = deferred<ScriptedReport>();
  t.after(() => final.resolve({ code: '2.04' }));
  adapter.script.update = ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'sent' });
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 3 }), resume: { job: 1 } });
    return final.promise;
  };
  const response = await h.request(UPDATE_FIRMWARE);
  assert.equal(response.rsc, 2004, JSON.stringify(response));
  assert.deepEqual(body(response).uds, { acn: 'ud', sus: 3 });
  assert.deepEqual((await storedAttrs(h, FIRMWARE)).uds, { acn: 'ud', sus: 3 });
});

test("the final report of a blocking request's accepted work updates the mgmtObj after the answer, even when its client went away", async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const final = deferred<ScriptedReport>();
  adapter.script.update = ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 3 }), resume: { job: 2 } });
    return final.promise;
  };
  const client = new AbortController();
  const response = await h.request({ ...UPDATE_FIRMWARE, signal: client.signal });
  assert.equal(response.rsc, 2004);
  client.abort();
  const call = adapter.calls[0];
  assert.equal(call.ctx.signal.aborted, false, 'accepted work outlives its answered client');
  assert.ok(call.ctx.deadline > Date.now() + 60_000, 'an accepted call waits until PROGRESS_TIMEOUT_S for its final report');

  final.resolve({ operation: 'execute', code: '2.04', attributes: { uds: { acn: 'ud', sus: 1 }, vr: '2.0' } });
  await storedUds(h, { acn: 'ud', sus: 1 });
  assert.equal((await storedAttrs(h, FIRMWARE)).vr, '2.0');
});

test('a non-blocking request stays PENDING through accepted reports, each stored on the mgmtObj as it comes, until the final report', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const downloaded = deferred<void>();
  const final = deferred<ScriptedReport>();
  t.after(() => {
    downloaded.resolve();
    final.resolve({ code: '2.04' });
  });
  adapter.script.update = async ({ ctx }: AdapterCall) => {
    ctx.progress({ state: 'sent' });
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 3 }), resume: { step: 1 } });
    await downloaded.promise;
    ctx.progress({ state: 'accepted', report: executeAccepted({ acn: 'ud', sus: 0 }), resume: { step: 2 } });
    return final.promise;
  };
  const ri = requestRiOf(await h.request({ ...UPDATE_FIRMWARE, rt: { rtv: 1 } }));

  await storedUds(h, { acn: 'ud', sus: 3 });
  assert.equal((await requestAttrs(h, ri)).rs, 3, 'an accepted report does not complete the <request>');
  const accepted = await operationInState(h, ri, 'accepted');
  assert.deepEqual((accepted.plan as { accepted: { resume: unknown } }).accepted.resume, { step: 1 }, 'the resume data is stored with the operation');

  downloaded.resolve();
  await storedUds(h, { acn: 'ud', sus: 0 });
  assert.equal((await requestAttrs(h, ri)).rs, 3);

  final.resolve({ operation: 'execute', code: '2.04', attributes: { uds: { acn: 'ud', sus: 1 } } });
  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 1);
  const ors = done.ors as { rsc: number; pc: Record<string, Attrs> };
  assert.equal(ors.rsc, 2004);
  assert.deepEqual(ors.pc['m2m:fwr'].uds, { acn: 'ud', sus: 1 });
  assert.deepEqual((await storedAttrs(h, FIRMWARE)).uds, { acn: 'ud', sus: 1 }, 'the final values are stored when the <request> completes');
});

test("an accepted call that gets no final report within PROGRESS_TIMEOUT_S fails its <request> with the 'expired' row", async (t) => {
  const { h, adapter } = await openDevice({ PROGRESS_TIMEOUT_S: '1' });
  t.after(() => h.close());
  acceptedWithoutEnd(adapter, t);
  const ri = requestRiOf(await h.request({ ...UPDATE_FIRMWARE, rt: { rtv: 1 }, rqi: 'slow-1' }));
  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 2);
  assert.equal((done.ors as Attrs).rsc, 6030);
  assert.match(String(((done.ors as Attrs).pc as Attrs)['m2m:dbg']), /not reachable before expiry/);
  assert.equal(adapter.calls[0].ctx.signal.aborted, true);
});

test("accepted work moves the <request>'s expiration with its deadline: it is not removed at the original one while the device works", async (t) => {
  const { h, adapter } = await openDevice({ PROGRESS_TIMEOUT_S: '60' });
  t.after(() => h.close());
  const final = acceptedWithoutEnd(adapter, t);
  const deadline = Date.now() + 1000;
  const ri = requestRiOf(await h.request({ ...UPDATE_FIRMWARE, rt: { rtv: 1 }, deadline, rqet: 'given', rp: '500', resultPersistenceMs: 500 }));
  const accepted = await operationInState(h, ri, 'accepted');
  const call = adapter.calls[0];
  assert.ok(accepted.deadline > deadline + 30_000, 'the accepted call waits up to PROGRESS_TIMEOUT_S');
  assert.equal(accepted.keepUntil, accepted.deadline + 500, 'the record is kept until the new deadline + persistence');
  await eventually(async () => (isAround((await requestAttrs(h, ri)).et, accepted.deadline + 500, 0) ? true : undefined), 5000, 'the <request> et to move');

  // past the original deadline + persistence, the <request> and its work are still there
  await eventually(async () => (Date.now() > deadline + 1500 ? true : undefined), 10_000);
  assert.equal((await requestAttrs(h, ri)).rs, 3);
  assert.equal(call.ctx.signal.aborted, false);
  final.resolve({ operation: 'execute', code: '2.04', attributes: { uds: { acn: 'ud', sus: 1 } } });
  assert.equal((await finalRequest(h, ri)).rs, 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { oneM2MTimestamp } from '../../src/onem2m/resources/onem2m-time.js';
import type { ScriptedReport } from '../tree/scripted-device-adapter.js';
import { body } from '../tree/tree-harness.js';
import {
  BATTERY, deferred, eventually, finalRequest, isAround, openDevice, operationOf, requestAttrs, requestRiOf, retrieveRequest,
} from './pending-fixture.js';

const EXPIRATION = { REQUEST_EXPIRATION_S: '60' };

test('rt=1 answers 1001 at once with the ri of a PENDING <request> that keeps the request', async (t) => {
  const { h, adapter } = await openDevice(EXPIRATION);
  t.after(() => h.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;
  t.after(() => answer.resolve({ code: '2.05' }));

  const deadline = Date.now() + 4000;
  const rqet = oneM2MTimestamp(new Date(deadline));
  const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, fr: 'CAlice', rqi: 'nb-1', rqet, deadline });
  assert.equal(response.rsc, 1001, JSON.stringify(response));
  assert.equal(response.rqi, 'nb-1');
  const ri = requestRiOf(response);

  const pending = await requestAttrs(h, ri, 'CAlice');
  assert.equal(pending.ri, ri);
  assert.equal(pending.ty, 17);
  assert.equal(pending.pi, h.tree.cseBase.ri, 'a <request> is a child of the CSEBase');
  assert.deepEqual(
    { op: pending.op, tg: pending.tg, org: pending.org, rid: pending.rid, rs: pending.rs },
    { op: Operation.Retrieve, tg: BATTERY, org: 'CAlice', rid: 'nb-1', rs: 3 },
  );
  assert.deepEqual(pending.mi, { rt: { rtv: 1 }, rqet });
  assert.ok(isAround(pending.et, deadline + 60_000), `et ${String(pending.et)} is the deadline + REQUEST_EXPIRATION_S while pending`);
  const call = await eventually(async () => adapter.calls[0], 5000, 'the device to be asked');
  assert.equal(call.ctx.deadline, deadline, 'the device call gets the deadline from X-M2M-RET');
});

test('a non-blocking request without X-M2M-RET gets REQUEST_EXPIRATION_S as its deadline', async (t) => {
  const { h, adapter } = await openDevice(EXPIRATION);
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 42 };
  const before = Date.now();
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 } }));
  await finalRequest(h, ri);
  const deadline = adapter.calls[0].ctx.deadline;
  assert.ok(deadline >= before + 60_000 && deadline <= Date.now() + 60_000, `deadline ${deadline - before} ms after the request`);
});

test('the device\'s answer completes the <request>: rs COMPLETED, ors the final response, et completion + persistence', async (t) => {
  const { h, adapter } = await openDevice(EXPIRATION);
  t.after(() => h.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, fr: 'CAlice', rqi: 'nb-2' }));
  assert.equal((await requestAttrs(h, ri, 'CAlice')).rs, 3);

  const answeredAt = Date.now();
  answer.resolve({ code: '2.05', attributes: { btl: 77, bts: 1 } });
  const done = await finalRequest(h, ri, 'CAlice');
  assert.equal(done.rs, 1);
  const ors = done.ors as Record<string, unknown>;
  assert.deepEqual({ rsc: ors.rsc, rqi: ors.rqi, to: ors.to, fr: ors.fr }, { rsc: 2000, rqi: 'nb-2', to: 'CAlice', fr: '/id-proxy' });
  const battery = (ors.pc as Record<string, Record<string, unknown>>)['m2m:bat'];
  assert.deepEqual({ btl: battery.btl, bts: battery.bts }, { btl: 77, bts: 1 });
  assert.ok(isAround(done.et, answeredAt + 60_000), `et ${String(done.et)} is the completion + REQUEST_EXPIRATION_S`);
});

test('a device error fails the <request>: rs FAILED, ors carries the mapped error', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  adapter.script.retrieve = () => ({ code: '4.04', detail: '(no battery)' });
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, rqi: 'nb-3' }));
  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 2);
  assert.deepEqual(done.ors, { rsc: 6005, rqi: 'nb-3', pc: { 'm2m:dbg': 'error - not found (no battery)' }, to: 'CAdmin', fr: '/id-proxy' });
});

test('a request without a device completes its <request> as well (Create of a <node> with rt=1)', async (t) => {
  const { h } = await openDevice();
  t.after(() => h.close());
  const ri = requestRiOf(await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn: 'n1', ni: 'n1' } }, rt: { rtv: 1 } }));
  const done = await finalRequest(h, ri);
  assert.equal((done.ors as Record<string, unknown>).rsc, 2001);
  assert.deepEqual(done.pc, { 'm2m:nod': { rn: 'n1', ni: 'n1' } }, 'the <request> keeps the request content');
  assert.equal(body(await h.request({ op: Operation.Retrieve, to: 'proxy/n1' })).ni, 'n1');
});

test('rp sets the persistence: the <request> is removed that long after it completed, then answers 4004', async (t) => {
  const { h, adapter } = await openDevice(EXPIRATION);
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 5 };
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, rp: '1500', resultPersistenceMs: 1500 }));
  const done = await finalRequest(h, ri);
  assert.equal(done.rs, 1, 'the result is retrievable until rp has passed');
  assert.equal((await retrieveRequest(h, ri)).rsc, 2000);
  await eventually(async () => ((await retrieveRequest(h, ri)).rsc === 4004 ? true : undefined), 10_000, 'the expired <request> to be removed');
  // the operation's record is deleted by the write after the resource's (each write acknowledged at its commit)
  await eventually(async () => ((await operationOf(h, ri)) === undefined ? true : undefined), 10_000, 'its stored operation to go with it');
});

test('X-M2M-RST sets et; a <request> still PENDING then is removed and its device work withdrawn', async (t) => {
  const { h, adapter } = await openDevice(EXPIRATION);
  t.after(() => h.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.retrieve = () => answer.promise;
  t.after(() => answer.resolve({ code: '2.05' }));
  const resultExpiresAt = Date.now() + 1500;
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, resultExpiresAt, rset: oneM2MTimestamp(new Date(resultExpiresAt)) }));
  assert.ok(isAround((await requestAttrs(h, ri)).et, resultExpiresAt, 0), 'et is the Result Expiration Timestamp');
  await eventually(async () => ((await retrieveRequest(h, ri)).rsc === 4004 ? true : undefined), 10_000, 'the <request> to expire');
  await eventually(async () => (adapter.calls[0].ctx.signal.aborted ? true : undefined), 5000, "the device call's signal to abort");
  assert.equal(await operationOf(h, ri), undefined);
});

test('rt=5 and other response types are refused with 4000, before anything is created', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  for (const rtv of [5, 0, 6, -1]) {
    const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv } });
    assert.equal(response.rsc, 4000, `rt=${rtv}`);
    assert.match(String(response.pc?.['m2m:dbg']), new RegExp(`rt=${rtv} is not served`));
  }
  assert.equal(adapter.calls.length, 0);
  const children = await h.request({ op: Operation.Retrieve, to: 'proxy', fc: { fu: 1, ty: [17] } });
  assert.deepEqual(children.pc, { 'm2m:uril': [] });
});

test('a non-blocking request that fails its access check is answered at once, without a <request>', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const unknown = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, fr: 'Cstranger' });
  assert.equal(unknown.rsc, 4103);
  const missing = await h.request({ op: Operation.Retrieve, to: `${BATTERY}-none`, rt: { rtv: 2, nu: [] } });
  assert.equal(missing.rsc, 4004);
  assert.equal(adapter.calls.length, 0);
  assert.deepEqual((await h.request({ op: Operation.Retrieve, to: 'proxy', fc: { fu: 1, ty: [17] } })).pc, { 'm2m:uril': [] });
});

test('a non-blocking request whose X-M2M-RST is past, or before its X-M2M-RET, is refused with 4000 and makes no <request>', async (t) => {
  const { h, adapter } = await openDevice(EXPIRATION);
  t.after(() => h.close());
  const past = Date.now() - 1000;
  const deadline = Date.now() + 60_000;
  const cases = [
    { resultExpiresAt: past, rset: oneM2MTimestamp(new Date(past)) },
    { resultExpiresAt: deadline - 30_000, rset: '30000', rqet: '60000', deadline },
  ];
  for (const expiration of cases) {
    const response = await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, ...expiration });
    assert.equal(response.rsc, 4000, JSON.stringify(response));
    assert.match(String((response.pc as Record<string, unknown>)['m2m:dbg']), /X-M2M-RST/);
  }
  assert.equal(adapter.calls.length, 0, 'nothing reached the device');
  assert.equal((await h.tree.children(h.tree.cseBase)).some((child) => child.ty === 17), false);
});

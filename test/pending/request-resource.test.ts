import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import type { ScriptedReport } from '../tree/scripted-device-adapter.js';
import {
  BATTERY, deferred, eventually, finalRequest, openDevice, operationOf, requestAttrs, requestChildren, requestRiOf, retrieveRequest,
} from './pending-fixture.js';

test('only the originator of a <request>, or an admin, may retrieve or delete it (others 4103)', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 10 };
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, fr: 'CAlice' }));
  await finalRequest(h, ri, 'CAlice');

  const bobReads = await retrieveRequest(h, ri, 'CBob');
  assert.equal(bobReads.rsc, 4103);
  assert.doesNotMatch(JSON.stringify(bobReads.pc), /btl/, 'a refusal shows nothing of the result');
  assert.equal((await h.request({ op: Operation.Delete, to: ri, fr: 'CBob' })).rsc, 4103);
  assert.equal((await retrieveRequest(h, ri, 'CAdmin')).rsc, 2000, 'admin rights reach every <request>');
  assert.equal((await retrieveRequest(h, ri, 'CAlice')).rsc, 2000, "Bob's delete did not remove it");

  assert.equal((await h.request({ op: Operation.Delete, to: ri, fr: 'CAlice' })).rsc, 2002);
  assert.equal((await retrieveRequest(h, ri, 'CAlice')).rsc, 4004);
  assert.equal(await operationOf(h, ri), undefined, 'the stored operation goes with its <request>');
});

test("a <request> shows only to its originator and admins, in the CSEBase's children and in discovery", async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  adapter.deviceValues.battery = { btl: 10 };
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 }, fr: 'CAlice' }));
  const { rn } = await requestAttrs(h, ri, 'CAlice');

  assert.deepEqual(await requestChildren(h, 'CAlice'), [rn]);
  assert.deepEqual(await requestChildren(h, 'CAdmin'), [rn]);
  assert.deepEqual(await requestChildren(h, 'CBob'), []);

  const discover = async (fr: string) => (await h.request({ op: Operation.Retrieve, to: 'proxy', fc: { fu: 1, ty: [17] }, fr })).pc;
  assert.deepEqual(await discover('CAlice'), { 'm2m:uril': [`proxy/${String(rn)}`] });
  assert.deepEqual(await discover('CBob'), { 'm2m:uril': [] });
  const everything = await h.request({ op: Operation.Retrieve, to: 'proxy', fc: { fu: 1 }, fr: 'CBob' });
  assert.ok(!(everything.pc!['m2m:uril'] as string[]).includes(`proxy/${String(rn)}`), 'discovery without a type filter hides it too');
});

test('a <request> cannot be created by a client, nor updated (4005)', async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const created = await h.request({ op: Operation.Create, to: 'proxy', ty: 17, pc: { 'm2m:req': { op: 2, tg: BATTERY } } });
  assert.equal(created.rsc, 4005);

  adapter.deviceValues.battery = { btl: 10 };
  const ri = requestRiOf(await h.request({ op: Operation.Retrieve, to: BATTERY, rt: { rtv: 1 } }));
  const done = await finalRequest(h, ri);
  const updated = await h.request({ op: Operation.Update, to: ri, pc: { 'm2m:req': { lbl: ['x'] } } });
  assert.equal(updated.rsc, 4005);
  assert.deepEqual(await requestAttrs(h, ri), done, 'the <request> is unchanged');
});

test("deleting a PENDING <request> withdraws its operation: the device call's signal aborts and it is not run again after a restart", async (t) => {
  const { h, adapter } = await openDevice();
  t.after(() => h.close());
  const answer = deferred<ScriptedReport>();
  adapter.script.update = () => answer.promise;
  t.after(() => answer.resolve({ code: '2.04' }));
  const ri = requestRiOf(await h.request({ op: Operation.Update, to: BATTERY, pc: { 'm2m:bat': { btl: 50 } }, rt: { rtv: 1 }, fr: 'CAlice' }));
  const call = await eventually(async () => adapter.calls[0], 5000, 'the device call');
  assert.equal(call.ctx.signal.aborted, false);

  assert.equal((await h.request({ op: Operation.Delete, to: ri, fr: 'CAlice' })).rsc, 2002);
  assert.equal(call.ctx.signal.aborted, true, 'the withdrawal aborts the call at once');
  assert.equal(await operationOf(h, ri), undefined);

  await h.restart();
  assert.equal((await retrieveRequest(h, ri, 'CAlice')).rsc, 4004);
  assert.equal(adapter.calls.length, 1, 'the withdrawn operation is not run again');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { body, createNode, openHarness } from './tree-harness.js';
import { ScriptedDeviceAdapter } from './scripted-device-adapter.js';

test('Create of a <node> stores it with universal attributes, sets contentLocation and answers per rcn', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const cse = body(await h.request({ op: Operation.Retrieve, to: 'proxy' }));

  const created = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn: 'n1', ni: 'urn:dev:1', lbl: ['a'] } } });
  assert.equal(created.rsc, 2001);
  assert.equal(created.contentLocation, 'proxy/n1');
  const node = body(created);
  assert.deepEqual(Object.keys(created.pc!), ['m2m:nod']);
  assert.equal(node.ty, 14);
  assert.equal(node.pi, cse.ri);
  assert.equal(node.rn, 'n1');
  assert.equal(node.ni, 'urn:dev:1');
  assert.deepEqual(node.lbl, ['a', 'offline'], 'no device registration stands behind a node a CSE creates');
  assert.match(String(node.ri), /^nod[\w-]{15}$/);
  assert.equal(node.ct, node.lt);

  const none = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, rcn: 0, pc: { 'm2m:nod': { rn: 'n2', ni: 'x' } } });
  assert.equal(none.rsc, 2001);
  assert.equal(none.pc, undefined);
  assert.equal(none.contentLocation, 'proxy/n2');

  const address = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, rcn: 2, pc: { 'm2m:nod': { rn: 'n3', ni: 'x3' } } });
  assert.deepEqual(address.pc, { 'm2m:uri': 'proxy/n3' });

  const both = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, rcn: 3, pc: { 'm2m:nod': { rn: 'n4', ni: 'x4' } } });
  const rce = both.pc!['m2m:rce'] as Record<string, Record<string, unknown>>;
  assert.equal(rce.uri, 'proxy/n4');
  assert.equal(rce['m2m:nod'].ni, 'x4');

  const modified = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, rcn: 9, pc: { 'm2m:nod': { rn: 'n5', ni: 'x5' } } });
  assert.deepEqual(Object.keys(body(modified)).sort(), ['ct', 'et', 'lbl', 'lt', 'pi', 'ri', 'ty'], 'et (the default expiration) and the offline label are this CSE\'s own additions');

  const unnamed = body(await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { ni: 'no-name' } } }));
  assert.equal(unnamed.rn, unnamed.ri, 'a resource created without rn is named by its ri');

  const badRcn = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, rcn: 4, pc: { 'm2m:nod': { rn: 'n6', ni: 'x' } } });
  assert.equal(badRcn.rsc, 4000);
  assert.match(String(badRcn.pc?.['m2m:dbg']), /rcn=4/);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/n6' })).rsc, 4004, 'a rejected Create stores nothing');
});

test('a duplicate name under one parent is 4105 and leaves the first resource untouched', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const first = await createNode(h, 'twin');
  const second = await h.request({ op: Operation.Create, to: 'proxy', ty: 14, pc: { 'm2m:nod': { rn: 'twin', ni: 'other' } } });
  assert.equal(second.rsc, 4105);
  assert.match(String(second.pc?.['m2m:dbg']), /twin/);
  assert.deepEqual(body(await h.request({ op: Operation.Retrieve, to: 'proxy/twin' })), first);
});

test('only node under CSEBase and mgmtObj under node may be created (4108); a CSEBase never (4005)', async (t) => {
  const h = await openHarness();
  const adapter = new ScriptedDeviceAdapter();
  h.adapters.register(adapter);
  t.after(() => h.close());
  await h.devices.upsertDevice({ protocol: 'lwm2m', deviceId: 'dev', address: 'coap://127.0.0.1:1', online: true, mgmtObjs: [{ type: 'reboot', rn: 'reboot', obis: [], obps: [] }] });
  const cases: Array<[string, number, Record<string, unknown>, number]> = [
    ['proxy', 13, { 'm2m:rbo': { mgd: 1009 } }, 4108],
    ['proxy', 2, { 'm2m:ae': { api: 'x' } }, 4108],
    ['proxy/dev', 14, { 'm2m:nod': { ni: 'x' } }, 4108],
    ['proxy/dev/reboot', 13, { 'm2m:rbo': { mgd: 1009 } }, 4108],
    ['proxy', 5, { 'm2m:cb': {} }, 4005],
    ['proxy/dev', 5, { 'm2m:cb': {} }, 4005],
  ];
  for (const [to, ty, pc, rsc] of cases) {
    const response = await h.request({ op: Operation.Create, to, ty, pc });
    assert.equal(response.rsc, rsc, `${to} ty=${ty}`);
    assert.ok(response.pc?.['m2m:dbg'], `${to} ty=${ty} carries m2m:dbg`);
  }
  assert.equal(adapter.calls.length, 0);
});

test('Update of a <node> merges attributes, renews lt, answers per rcn and is stored', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const node = await createNode(h, 'n1', { lbl: ['a'] });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const modified = await h.request({ op: Operation.Update, to: 'proxy/n1', rcn: 9, pc: { 'm2m:nod': { nid: 'net' } } });
  assert.equal(modified.rsc, 2004);
  assert.deepEqual(Object.keys(body(modified)), ['lt'], 'rcn 9 answers what the CSE changed beyond the request: lt');
  assert.notEqual(body(modified).lt, node.lt);

  const updated = await h.request({ op: Operation.Update, to: 'proxy/n1', pc: { 'm2m:nod': { lbl: ['b'], nty: 2 } } });
  assert.equal(updated.rsc, 2004);
  const attrs = body(updated);
  assert.deepEqual(attrs.lbl, ['b']);
  assert.equal(attrs.nty, 2);
  assert.equal(attrs.nid, 'net');
  assert.equal(attrs.ni, node.ni);
  assert.equal(attrs.ct, node.ct);
  assert.deepEqual(body(await h.request({ op: Operation.Retrieve, to: 'proxy/n1' })), attrs);

  const none = await h.request({ op: Operation.Update, to: 'proxy/n1', rcn: 0, pc: { 'm2m:nod': { nid: 'net2' } } });
  assert.equal(none.pc, undefined);
  assert.equal((await h.request({ op: Operation.Update, to: 'proxy/n1', rcn: 4, pc: { 'm2m:nod': { nid: 'x' } } })).rsc, 4000);
});

test('Delete of a <node> removes its subtree; rcn=1 returns what was deleted; the CSEBase cannot be updated or deleted', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await h.devices.upsertDevice({ protocol: 'lwm2m', deviceId: 'dev', address: 'coap://127.0.0.1:1', online: true, mgmtObjs: [{ type: 'battery', rn: 'battery', obis: [], obps: [] }] });
  const battery = body(await h.request({ op: Operation.Retrieve, to: 'proxy/dev', rcn: 4 }));
  const deleted = await h.request({ op: Operation.Delete, to: 'proxy/dev', rcn: 1 });
  assert.equal(deleted.rsc, 2002);
  assert.equal(body(deleted).ni, 'dev');
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/dev' })).rsc, 4004);
  const childRi = String((battery['m2m:bat'] as Array<Record<string, unknown>>)[0].ri);
  assert.equal((await h.request({ op: Operation.Retrieve, to: childRi })).rsc, 4004);

  await createNode(h, 'plain');
  const silent = await h.request({ op: Operation.Delete, to: 'proxy/plain' });
  assert.equal(silent.rsc, 2002);
  assert.equal(silent.pc, undefined, 'Delete answers nothing by default (rcn 0)');

  for (const op of [Operation.Update, Operation.Delete]) {
    const response = await h.request({ op, to: 'proxy', pc: { 'm2m:cb': { lbl: ['x'] } } });
    assert.equal(response.rsc, 4005, Operation[op]);
    assert.match(String(response.pc?.['m2m:dbg']), /CSEBase/);
  }
  assert.equal((await h.request({ op: Operation.Delete, to: 'proxy/plain', rcn: 2 })).rsc, 4004);
  await createNode(h, 'again');
  assert.equal((await h.request({ op: Operation.Delete, to: 'proxy/again', rcn: 2 })).rsc, 4000);
});

test('Notify is not accepted by any resource (4005 with m2m:dbg)', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await createNode(h, 'n1');
  for (const to of ['proxy', 'proxy/n1']) {
    const response = await h.request({ op: Operation.Notify, to, pc: { 'm2m:sgn': { vrq: true } } });
    assert.equal(response.rsc, 4005);
    assert.match(String(response.pc?.['m2m:dbg']), /notifications/);
  }
  assert.equal((await h.request({ op: 9 as Operation, to: 'proxy' })).rsc, 4000);
});

test('an exception inside the proxy answers 5000 with m2m:dbg and the dispatcher keeps serving', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await createNode(h, 'n1');
  await h.store.close();
  const broken = await h.request({ op: Operation.Retrieve, to: 'proxy/n1' });
  assert.equal(broken.rsc, 5000);
  assert.match(String(broken.pc?.['m2m:dbg']), /internal error/);
  await h.restart();
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/n1' })).rsc, 2000);
});

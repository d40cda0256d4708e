import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Operation } from '../../src/core/primitives.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import { loadAccessPolicy } from '../../src/onem2m/access-control.js';
import type { NotificationSender } from '../../src/onem2m/notifications/notification-sender.js';
import { SubscriptionEngine } from '../../src/onem2m/subscriptions/subscription-engine.js';
import { createNode, openHarness, type TreeHarness } from '../tree/tree-harness.js';
import { eventually } from '../lwm2m/helpers.js';

interface Sent { target: string; content: Record<string, any> }

function recordingSender(): NotificationSender & { sent: Sent[] } {
  const sent: Sent[] = [];
  return { sent, send: (target, content) => void sent.push({ target, content }), verify: async () => ({ rsc: 2000 }), idle: async () => {}, close: () => {} };
}

let counter = 0;

/** A <subscription> stored as the resource layer would store it. */
async function subscribe(h: TreeHarness, parentPath: string, attrs: Record<string, unknown>, creator = 'CAdmin'): Promise<StoredResource> {
  const parent = await h.tree.resolve(parentPath);
  const ri = `sub-test-${++counter}`;
  const rn = `sub${counter}`;
  const resource: StoredResource = {
    ri, pi: parent.ri, ty: 23, rn, path: `${parent.path}/${rn}`, internal: { creator },
    attrs: { ty: 23, ri, rn, pi: parent.ri, ct: '20261202T000000', lt: '20261202T000000', nu: ['http://127.0.0.1:9/n'], ...attrs },
  };
  await h.tree.commit([resource]);
  return resource;
}

async function withEngine(env: Record<string, string> = {}): Promise<{ h: TreeHarness; sender: ReturnType<typeof recordingSender>; engine: SubscriptionEngine }> {
  const h = await openHarness(env);
  const sender = recordingSender();
  const engine = new SubscriptionEngine({ tree: h.tree, access: loadAccessPolicy(h.config), sender, cseId: '/id-proxy', logger: pino({ level: 'silent' }), metrics: new Registry() });
  await engine.start();
  return { h, sender, engine };
}

const sgn = (sent: Sent) => sent.content['m2m:sgn'];

test('a subscription on a node hears of its updates, of children created and deleted, with the representation nct asks for', async (t) => {
  const { h, sender } = await withEngine();
  t.after(() => h.close());
  await createNode(h, 'watched');
  const sub = await subscribe(h, 'proxy/watched', { enc: { net: [1, 3, 4] }, nct: 1, cr: 'CAdmin' });

  assert.equal((await h.request({ op: Operation.Update, to: 'proxy/watched', pc: { 'm2m:nod': { lbl: ['site-b'] } } })).rsc, 2004);
  assert.equal((await h.request({ op: Operation.Create, to: 'proxy/watched', ty: 13, pc: { 'm2m:bat': { rn: 'battery', mgd: 1006, btl: 80, bts: 1 } } })).rsc, 2001);
  assert.equal((await h.request({ op: Operation.Delete, to: 'proxy/watched/battery' })).rsc, 2002);

  assert.deepEqual(sender.sent.map((s) => sgn(s).nev.net), [1, 3, 4]);
  const [updated, created] = sender.sent;
  assert.equal(updated.target, 'http://127.0.0.1:9/n');
  assert.equal(sgn(updated).sur, `/id-proxy/${sub.ri}`);
  assert.equal(sgn(updated).cr, 'CAdmin');
  assert.deepEqual(sgn(updated).nev.rep['m2m:nod'].lbl, ['site-b']);
  assert.equal(sgn(created).nev.rep['m2m:bat'].btl, 80);
});

test('nct 2 sends the modified attributes, nct 3 the resource id; enc.atr filters updates', async (t) => {
  const { h, sender } = await withEngine();
  t.after(() => h.close());
  const node = await createNode(h, 'filtered');
  await subscribe(h, 'proxy/filtered', { enc: { net: [1] }, nct: 2 });
  await subscribe(h, 'proxy/filtered', { enc: { net: [1], atr: ['mgca'] }, nct: 3 });

  await h.request({ op: Operation.Update, to: 'proxy/filtered', pc: { 'm2m:nod': { lbl: ['x'] } } });
  assert.equal(sender.sent.length, 1, 'the atr subscription ignores a change of lbl');
  assert.deepEqual(sgn(sender.sent[0]).nev.rep, { 'm2m:nod': { lbl: ['x'] } });

  await h.request({ op: Operation.Update, to: 'proxy/filtered', pc: { 'm2m:nod': { mgca: 'coap://127.0.0.1:1' } } });
  assert.equal(sender.sent.length, 3);
  assert.equal(sgn(sender.sent[2]).nev.rep, node.ri);
});

test('exc counts down, the spent subscription is deleted and su hears sud; a deleted subject deletes its subscriptions', async (t) => {
  const { h, sender, engine } = await withEngine();
  t.after(() => h.close());
  await createNode(h, 'counted');
  const counted = await subscribe(h, 'proxy/counted', { enc: { net: [1] }, exc: 2, su: 'http://127.0.0.1:9/su' });
  for (const label of ['a', 'b', 'c']) await h.request({ op: Operation.Update, to: 'proxy/counted', pc: { 'm2m:nod': { lbl: [label] } } });
  await engine.settled();
  await eventually(async () => ((await h.tree.get(counted.ri)) ? undefined : true), 10_000, 'the spent subscription to go');
  const toNu = sender.sent.filter((s) => s.target.endsWith('/n'));
  assert.equal(toNu.length, 2, 'exc 2: two notifications, then none');
  const sud = sender.sent.filter((s) => s.target.endsWith('/su'));
  assert.deepEqual(sud.map((s) => sgn(s)), [{ sud: true, sur: `/id-proxy/${counted.ri}` }]);

  await createNode(h, 'doomed');
  const watching = await subscribe(h, 'proxy/doomed', { enc: { net: [2] }, su: 'http://127.0.0.1:9/su2' });
  assert.equal((await h.request({ op: Operation.Delete, to: 'proxy/doomed' })).rsc, 2002);
  const last = sender.sent.slice(-2);
  assert.equal(sgn(last[0]).nev.net, 2);
  assert.deepEqual(sgn(last[1]), { sud: true, sur: `/id-proxy/${watching.ri}` });
  assert.equal(engine.size, 0);
});

test('device writes notify too, and subscriptions are loaded again after a restart', async (t) => {
  const { h, sender } = await withEngine();
  t.after(() => h.close());
  await h.devices.upsertDevice({ protocol: 'lwm2m', deviceId: 'urn:dev:sub-1', address: 'coap://127.0.0.1:5690', online: true, mgmtObjs: [] });
  await subscribe(h, 'proxy/dev:sub-1', { enc: { net: [1] }, nct: 2 });
  await h.devices.setOnline('lwm2m', 'urn:dev:sub-1', false);
  assert.deepEqual(sgn(sender.sent[0]).nev.rep, { 'm2m:nod': { lbl: ['lwm2m', 'offline'] } });

  await h.restart();
  const again = recordingSender();
  const engine = new SubscriptionEngine({ tree: h.tree, access: loadAccessPolicy(h.config), sender: again, cseId: '/id-proxy', logger: pino({ level: 'silent' }), metrics: new Registry() });
  await engine.start();
  assert.equal(engine.size, 1);
  await h.devices.setOnline('lwm2m', 'urn:dev:sub-1', true);
  assert.deepEqual(again.sent.map((s) => sgn(s).nev.rep['m2m:nod'].lbl), [['lwm2m', 'online']]);
});

test('a subscriber that may no longer retrieve the resource gets nothing', async (t) => {
  const { h, sender } = await withEngine();
  t.after(() => h.close());
  await createNode(h, 'private');
  await subscribe(h, 'proxy/private', { enc: { net: [1] } }, 'Cstranger');
  await h.request({ op: Operation.Update, to: 'proxy/private', pc: { 'm2m:nod': { lbl: ['x'] } } });
  assert.deepEqual(sender.sent, []);
});

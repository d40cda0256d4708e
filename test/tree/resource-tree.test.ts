import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { ResourceTree } from '../../src/onem2m/resources/resource-tree.js';
import { loadConfig } from '../../src/core/config.js';
import { body, createNode, openHarness } from './tree-harness.js';

const TIMESTAMP = /^\d{8}T\d{6}$/;

test('the CSEBase is created once with its configured identity, as an MN-CSE serving CSEBase, mgmtObj, node and request', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const response = await h.request({ op: Operation.Retrieve, to: 'proxy' });
  assert.equal(response.rsc, 2000);
  const cb = (response.pc as Record<string, Record<string, unknown>>)['m2m:cb'];
  assert.equal(cb.rn, 'proxy');
  assert.equal(cb.csi, '/id-proxy');
  assert.equal(cb.cst, 2);
  assert.deepEqual(cb.srt, [5, 13, 14, 17]);
  assert.equal(cb.ty, 5);
  assert.equal(cb.pi, '');
  assert.match(String(cb.ct), TIMESTAMP);
  assert.match(String(cb.lt), TIMESTAMP);
  assert.equal('poa' in cb, false, 'no point of access is invented when none is configured');
});

test('the CSEBase keeps its ri across restarts and picks up a configured point of access', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const before = body(await h.request({ op: Operation.Retrieve, to: 'proxy' }));
  await h.restart();
  const after = body(await h.request({ op: Operation.Retrieve, to: 'proxy' }));
  assert.equal(after.ri, before.ri);
  assert.equal(after.ct, before.ct);

  const withPoa = await ResourceTree.open(h.store.resources, loadConfig({ DATA_DIR: h.dir, UPSTREAM_POA: 'http://proxy.example:8080' }));
  assert.equal(withPoa.cseBase.ri, before.ri);
  assert.deepEqual(withPoa.cseBase.attrs.poa, ['http://proxy.example:8080']);
  const withoutPoa = await ResourceTree.open(h.store.resources, loadConfig({ DATA_DIR: h.dir }));
  assert.equal('poa' in withoutPoa.cseBase.attrs, false);
});

test('a data dir that holds another CSEBase name is refused at start with a clear message', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  await assert.rejects(ResourceTree.open(h.store.resources, loadConfig({ DATA_DIR: h.dir, CSE_NAME: 'other' })), /holds CSEBase "proxy" but CSE_NAME is "other"/);
});

test('the tree survives a restart: nodes keep ri, attributes and children', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const node = await createNode(h, 'gw1', { lbl: ['site-a'] });
  await h.restart();
  const read = await h.request({ op: Operation.Retrieve, to: 'proxy/gw1' });
  assert.equal(read.rsc, 2000);
  assert.deepEqual(body(read), node);
  const byRi = await h.request({ op: Operation.Retrieve, to: `/id-proxy/${String(node.ri)}` });
  assert.deepEqual(body(byRi), node);
});

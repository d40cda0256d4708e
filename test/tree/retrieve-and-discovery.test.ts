import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { body, createNode, openHarness, type TreeHarness } from './tree-harness.js';

type Attrs = Record<string, unknown>;

/** CSEBase → n1 (CSE-made, lbl a) , n2 (CSE-made, lbl b), dev (lwm2m device with battery + firmware, no adapter). */
async function populated(): Promise<{ h: TreeHarness; n1: Attrs; n2: Attrs }> {
  const h = await openHarness();
  const n1 = await createNode(h, 'n1', { lbl: ['a', 'common'] });
  const n2 = await createNode(h, 'n2', { lbl: ['b', 'common'] });
  await h.devices.upsertDevice({
    protocol: 'lwm2m', deviceId: 'dev', address: 'coap://127.0.0.1:1', online: true,
    mgmtObjs: [
      { type: 'battery', rn: 'battery', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
      { type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'] },
    ],
  });
  return { h, n1, n2 };
}

test('Retrieve rcn matrix on the CSEBase: 1 attributes, 4 nested children, 5 child refs, 6 refs only, 8 children only; others 4000', async (t) => {
  const { h, n1, n2 } = await populated();
  t.after(() => h.close());
  const cse = body(await h.request({ op: Operation.Retrieve, to: 'proxy' }));
  assert.equal('m2m:nod' in cse, false);
  assert.equal('ch' in cse, false);

  const withChildren = body(await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 4 }));
  assert.equal(withChildren.csi, '/id-proxy');
  const nodes = withChildren['m2m:nod'] as Attrs[];
  assert.deepEqual(nodes.map((n) => n.rn), ['n1', 'n2', 'dev']);
  assert.deepEqual(nodes[0], n1);
  const dev = nodes[2];
  assert.deepEqual((dev['m2m:bat'] as Attrs[]).map((b) => b.rn), ['battery']);
  assert.deepEqual((dev['m2m:fwr'] as Attrs[]).map((b) => b.obps), [['/5/0']]);

  const refs = [
    { nm: 'n1', typ: 14, val: 'proxy/n1' },
    { nm: 'n2', typ: 14, val: 'proxy/n2' },
    { nm: 'dev', typ: 14, val: 'proxy/dev' },
  ];
  const withRefs = body(await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 5 }));
  assert.equal(withRefs.rn, 'proxy');
  assert.deepEqual(withRefs.ch, refs);

  const onlyRefs = await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 6 });
  assert.deepEqual(onlyRefs.pc, { 'm2m:rrl': { rrf: refs } });
  const unstructuredRefs = await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 6, drt: 2 });
  assert.deepEqual((unstructuredRefs.pc!['m2m:rrl'] as { rrf: Attrs[] }).rrf.slice(0, 2).map((r) => r.val), [n1.ri, n2.ri]);

  const onlyChildren = body(await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 8 }));
  assert.deepEqual(Object.keys(onlyChildren), ['m2m:nod']);
  assert.equal((onlyChildren['m2m:nod'] as Attrs[]).length, 3);

  for (const rcn of [0, 2, 3, 7, 9, 10, 42]) {
    const response = await h.request({ op: Operation.Retrieve, to: 'proxy', rcn });
    assert.equal(response.rsc, 4000, `rcn=${rcn}`);
    assert.match(String(response.pc?.['m2m:dbg']), new RegExp(`rcn=${rcn} is not allowed for Retrieve`));
  }
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy', rcn: 6, drt: 3 })).rsc, 4000);
});

test('partial retrieve (atrl) answers only the named attributes; unknown names and rcn other than 1 are 4000', async (t) => {
  const { h, n1 } = await populated();
  t.after(() => h.close());
  const partial = await h.request({ op: Operation.Retrieve, to: 'proxy/n1', atrl: ['ni', 'lbl', 'hcl'] });
  assert.equal(partial.rsc, 2000);
  assert.deepEqual(partial.pc, { 'm2m:nod': { ni: n1.ni, lbl: n1.lbl } });
  const cse = await h.request({ op: Operation.Retrieve, to: 'proxy', atrl: ['csi'] });
  assert.deepEqual(cse.pc, { 'm2m:cb': { csi: '/id-proxy' } });

  const unknown = await h.request({ op: Operation.Retrieve, to: 'proxy/n1', atrl: ['ni', 'bogus'] });
  assert.equal(unknown.rsc, 4000);
  assert.match(String(unknown.pc?.['m2m:dbg']), /unknown attribute "bogus"/);
  const wrongType = await h.request({ op: Operation.Retrieve, to: 'proxy/n1', atrl: ['mgd'] });
  assert.equal(wrongType.rsc, 4000, 'mgd is not an attribute of <node>');
  const withRcn = await h.request({ op: Operation.Retrieve, to: 'proxy/n1', atrl: ['ni'], rcn: 4 });
  assert.equal(withRcn.rsc, 4000);
  assert.match(String(withRcn.pc?.['m2m:dbg']), /atrl/);
});

test('discovery (fu=1) answers m2m:uril filtered by ty, lbl, mgd and lim, structured or unstructured', async (t) => {
  const { h, n1, n2 } = await populated();
  t.after(() => h.close());
  const discover = async (fc: Attrs, extra: Attrs = {}) => {
    const response = await h.request({ op: Operation.Retrieve, to: 'proxy', fc: { fu: 1, ...fc }, ...extra });
    assert.equal(response.rsc, 2000, JSON.stringify(fc));
    return response.pc!['m2m:uril'];
  };
  assert.deepEqual(await discover({}), ['proxy/n1', 'proxy/n2', 'proxy/dev', 'proxy/dev/battery', 'proxy/dev/firmware']);
  assert.deepEqual(await discover({ ty: [14] }), ['proxy/n1', 'proxy/n2', 'proxy/dev']);
  assert.deepEqual(await discover({ ty: [13] }), ['proxy/dev/battery', 'proxy/dev/firmware']);
  assert.deepEqual(await discover({ ty: [2] }), []);
  assert.deepEqual(await discover({ lbl: ['a'] }), ['proxy/n1']);
  assert.deepEqual(await discover({ lbl: ['a', 'b'] }), ['proxy/n1', 'proxy/n2'], 'several labels: any of them');
  assert.deepEqual(await discover({ lbl: ['common'], ty: [14] }), ['proxy/n1', 'proxy/n2']);
  assert.deepEqual(await discover({ lbl: ['lwm2m', 'online'] }), ['proxy/dev']);
  assert.deepEqual(await discover({ mgd: [1001] }), ['proxy/dev/firmware']);
  assert.deepEqual(await discover({ mgd: [1001, 1006] }), ['proxy/dev/battery', 'proxy/dev/firmware']);
  assert.deepEqual(await discover({ mgd: [1001], lbl: ['a'] }), [], 'conditions combine with AND');
  assert.deepEqual(await discover({ lim: 2 }), ['proxy/n1', 'proxy/n2']);
  assert.deepEqual(await discover({ lim: 0 }), []);
  assert.deepEqual(await discover({ ty: [14], lim: 2 }, { drt: 2 }), [n1.ri, n2.ri]);
  assert.deepEqual(await discover({ ty: [14] }, { drt: 1, rcn: 6 }), ['proxy/n1', 'proxy/n2', 'proxy/dev']);

  const fromNode = await h.request({ op: Operation.Retrieve, to: 'proxy/dev', fc: { fu: 1 } });
  assert.deepEqual(fromNode.pc, { 'm2m:uril': ['proxy/dev/battery', 'proxy/dev/firmware'] }, 'discovery starts below the target');

  const invalid: Array<[Attrs, RegExp]> = [
    [{ fc: { fu: 1, lim: -1 } }, /lim/],
    [{ fc: { fu: 1, lim: 1.5 } }, /lim/],
    [{ fc: { fu: 1 }, drt: 5 }, /drt=5/],
    [{ fc: { fu: 1 }, rcn: 1 }, /rcn=1 is not allowed for discovery/],
    [{ fc: { fu: 3 } }, /fu=3/],
  ];
  for (const [extra, dbg] of invalid) {
    const response = await h.request({ op: Operation.Retrieve, to: 'proxy', ...extra });
    assert.equal(response.rsc, 4000, JSON.stringify(extra));
    assert.match(String(response.pc?.['m2m:dbg']), dbg);
  }
  const conditional = await h.request({ op: Operation.Retrieve, to: 'proxy', fc: { fu: 2 } });
  assert.equal(body(conditional).rn, 'proxy', 'fu=2 is an ordinary retrieve');
});

test('rcn on Delete: 4/5/6/8 describe the deleted subtree, other values are 4000 and delete nothing', async (t) => {
  const { h } = await populated();
  t.after(() => h.close());
  await h.devices.upsertDevice({ protocol: 'omadm13', deviceId: 'dm-dev', address: 'http://127.0.0.1:1', online: false, mgmtObjs: [] });
  for (const rcn of [2, 3, 7, 9]) assert.equal((await h.request({ op: Operation.Delete, to: 'proxy/n1', rcn })).rsc, 4000, `rcn=${rcn}`);
  assert.equal((await h.request({ op: Operation.Retrieve, to: 'proxy/n1' })).rsc, 2000);
  const refs = await h.request({ op: Operation.Delete, to: 'proxy/n1', rcn: 6 });
  assert.deepEqual(refs.pc, { 'm2m:rrl': { rrf: [] } });
  const children = await h.request({ op: Operation.Delete, to: 'proxy/n2', rcn: 8 });
  assert.deepEqual(children.pc, { 'm2m:nod': {} });
  const nodeRefs = await h.request({ op: Operation.Delete, to: 'proxy/dm-dev', rcn: 5 });
  assert.deepEqual(body(nodeRefs).ch, []);
});

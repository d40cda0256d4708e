import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { body, createNode, openHarness } from './tree-harness.js';

test('every target form reaches the same resource', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const node = await createNode(h, 'dev-1');
  const forms = ['proxy/dev-1', '-/dev-1', '/id-proxy/proxy/dev-1', '//proxy.example/id-proxy/proxy/dev-1', '//PROXY.example/id-proxy/proxy/dev-1', String(node.ri), `/id-proxy/${String(node.ri)}`, `//proxy.example/id-proxy/${String(node.ri)}`];
  for (const to of forms) {
    const response = await h.request({ op: Operation.Retrieve, to });
    assert.equal(response.rsc, 2000, to);
    assert.equal(body(response).ri, node.ri, to);
  }
  for (const to of ['proxy', 'id-proxy', '/id-proxy/proxy', '/id-proxy/id-proxy', '//proxy.example/id-proxy/proxy']) {
    assert.equal(body(await h.request({ op: Operation.Retrieve, to })).rn, 'proxy', to);
  }
});

test('unknown targets answer 4004, another CSE 5103, malformed targets 4000, each with m2m:dbg', async (t) => {
  const h = await openHarness();
  t.after(() => h.close());
  const cases: Array<[string, number, RegExp]> = [
    ['proxy/nothing-here', 4004, /nothing-here/],
    ['nod0000', 4004, /nod0000/],
    ['other/dev-1', 4004, /start with the CSEBase name/],
    ['/id-other/cse/dev-1', 5103, /id-other/],
    ['//proxy.example/id-other/x', 5103, /id-other/],
    ['//unknown-sp/id-proxy/proxy', 4004, /SP "\/\/unknown-sp"/],
    ['//sp.example.com/id-proxy/nod0000', 4004, /not this one \("\/\/proxy.example"\)/],
    ['/id-proxy', 4000, /names the CSE but no resource/],
    ['//proxy.example/id-proxy', 4000, /names the CSE but no resource/],
    ['/id-proxy/', 4000, /empty path segment/],
    ['proxy/dev-1/', 4000, /empty path segment/],
    ['', 4000, /empty/],
    ['/', 4000, /names no CSE/],
    ['//sp.example.com', 4000, /names no CSE/],
    ['proxy//dev-1', 4000, /empty path segment/],
  ];
  for (const [to, rsc, dbg] of cases) {
    const response = await h.request({ op: Operation.Retrieve, to });
    assert.equal(response.rsc, rsc, to);
    assert.match(String(response.pc?.['m2m:dbg']), dbg, to);
  }
});

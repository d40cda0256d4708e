import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../helpers/proxy-harness.js';

const TIMESTAMP = /^\d{8}T\d{6}/;

test('the CSEBase declares its identity, type, releases, points of access and current time (issue 15 item 2)', async (t) => {
  const proxy = await startTestProxy({ UPSTREAM_POA: 'http://proxy.example:8080' });
  t.after(() => proxy.stop(true));

  const answer = await proxy.request('GET', '/proxy');
  assert.equal(answer.headers.get('x-m2m-rsc'), '2000');
  const cb = ((await answer.json()) as Record<string, Record<string, unknown>>)['m2m:cb'];
  assert.equal(cb.ri, 'id-proxy');
  assert.equal(cb.csi, '/id-proxy');
  assert.equal(cb.cst, 2);
  assert.deepEqual(cb.srv, ['2a', '3']);
  assert.deepEqual(cb.poa, ['http://proxy.example:8080']);
  assert.deepEqual(cb.srt, [5, 13, 14, 17]);
  assert.match(String(cb.ctm), TIMESTAMP);
  assert.equal(cb.et, undefined);

  const byRi = await proxy.request('GET', '/~/id-proxy/id-proxy');
  assert.equal(byRi.headers.get('x-m2m-rsc'), '2000');
  assert.equal(((await byRi.json()) as Record<string, Record<string, unknown>>)['m2m:cb'].rn, 'proxy');

  const partial = await proxy.request('GET', '/proxy?atrl=ctm+srv');
  assert.equal(partial.headers.get('x-m2m-rsc'), '2000');
  const picked = ((await partial.json()) as Record<string, Record<string, unknown>>)['m2m:cb'];
  assert.deepEqual(Object.keys(picked).sort(), ['ctm', 'srv']);

  const xml = await (await proxy.request('GET', '/proxy', { headers: { Accept: 'application/xml' } })).text();
  assert.match(xml, /<srv>2a 3<\/srv>/);
  assert.match(xml, /<ctm>\d{8}T\d{6}/);
  assert.match(xml, /<ri>id-proxy<\/ri>/);
});

test('trailing slashes, a CSE-ID with no resource part and another SP-ID are refused (issue 15 item 3)', async (t) => {
  const proxy = await startTestProxy({ SP_ID: 'm2m.example.org' });
  t.after(() => proxy.stop(true));
  const cases: Array<[string, string, RegExp]> = [
    ['/proxy/', '4000', /ends with "\/"/],
    ['/~/id-proxy/proxy/', '4000', /ends with "\/"/],
    ['/~/id-proxy', '4000', /names the CSE but no resource/],
    ['/_/m2m.example.org/id-proxy', '4000', /names the CSE but no resource/],
    ['/_/unknown-sp/id-proxy/proxy', '4004', /SP "\/\/unknown-sp"/],
    ['/_/proxy.example/id-proxy/proxy', '4004', /not this one \("\/\/m2m.example.org"\)/],
  ];
  for (const [path, rsc, dbg] of cases) {
    const answer = await proxy.request('GET', path);
    assert.equal(answer.headers.get('x-m2m-rsc'), rsc, path);
    assert.match(((await answer.json()) as Record<string, string>)['m2m:dbg'], dbg, path);
  }
  for (const path of ['/_/m2m.example.org/id-proxy/proxy', '/_/M2M.example.org/id-proxy/id-proxy', '/~/id-proxy/proxy']) {
    const answer = await proxy.request('GET', path);
    assert.equal(answer.headers.get('x-m2m-rsc'), '2000', path);
  }
});

test('SP_ID must be a domain name', async () => {
  await assert.rejects(startTestProxy({ SP_ID: '//m2m.example.org' }), /SP_ID/);
});

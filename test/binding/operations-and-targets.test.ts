import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Operation } from '../../src/core/primitives.js';
import { echoed, jsonOf, rawRequest, startBinding } from './binding-harness.js';

const node = JSON.stringify({ 'm2m:nod': { rn: 'n1', ni: 'dev-1' } });

test('HTTP methods map to oneM2M operations', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());

  const create = await echoed(await binding.request('POST', '/proxy', { body: node, headers: { 'Content-Type': 'application/json;ty=14' } }));
  assert.equal(create.op, Operation.Create);
  assert.equal(create.ty, 14);
  assert.deepEqual(create.pc, { 'm2m:nod': { rn: 'n1', ni: 'dev-1' } });

  const spaced = await echoed(await binding.request('POST', '/proxy', { body: node, headers: { 'Content-Type': 'application/vnd.onem2m-res+json; charset=utf-8; ty=13' } }));
  assert.equal(spaced.op, Operation.Create);
  assert.equal(spaced.ty, 13);

  const notify = await echoed(await binding.request('POST', '/proxy', { body: '{"m2m:sgn":{"vrq":true}}', headers: { 'Content-Type': 'application/json' } }));
  assert.equal(notify.op, Operation.Notify);
  assert.equal(notify.ty, undefined);

  const retrieve = await echoed(await binding.request('GET', '/proxy'));
  assert.equal(retrieve.op, Operation.Retrieve);
  assert.equal(retrieve.pc, undefined);

  const update = await echoed(await binding.request('PUT', '/proxy/n1', { body: '{"m2m:nod":{"lbl":["a"]}}', headers: { 'Content-Type': 'application/json' } }));
  assert.equal(update.op, Operation.Update);
  assert.deepEqual(update.pc, { 'm2m:nod': { lbl: ['a'] } });

  const remove = await echoed(await binding.request('DELETE', '/proxy/n1'));
  assert.equal(remove.op, Operation.Delete);
});

test('a ty parameter that is not a number is a bad request, before the handler sees anything', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  for (const contentType of ['application/json;ty=node', 'application/json;ty=', 'application/json;ty=-1']) {
    const response = await binding.request('POST', '/proxy', { body: node, headers: { 'Content-Type': contentType } });
    assert.equal(response.status, 400, contentType);
    assert.equal(response.headers.get('x-m2m-rsc'), '4000');
    assert.match((await jsonOf(response))['m2m:dbg'], /ty=/);
  }
  assert.equal(binding.handler.received.length, 0);
});

test('methods that are no oneM2M operation get 4005 with the oneM2M headers', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  for (const method of ['PATCH', 'OPTIONS', 'PROPFIND']) {
    const response = await rawRequest(binding.server.port, { method, path: '/proxy', headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'm1' } });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers['x-m2m-rsc'], '4005');
    assert.equal(response.headers['x-m2m-ri'], 'm1');
    assert.match(JSON.parse(response.body)['m2m:dbg'], new RegExp(method));
  }
  const head = await rawRequest(binding.server.port, { method: 'HEAD', path: '/proxy', headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'h1' } });
  assert.equal(head.headers['x-m2m-rsc'], '4005');
  assert.equal(binding.handler.received.length, 0);
});

test('request paths become targets in primitive form, undecoded structure kept', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string, string]> = [
    ['/proxy', 'proxy'],
    ['/proxy/gateway-1/firmware', 'proxy/gateway-1/firmware'],
    ['/nod4711', 'nod4711'],
    ['/~/id-proxy/proxy/gateway-1', '/id-proxy/proxy/gateway-1'],
    ['/~/id-proxy/nod4711', '/id-proxy/nod4711'],
    ['/~/id-proxy', '/id-proxy'],
    ['/_/m2m.example.org/id-proxy/proxy/n', '//m2m.example.org/id-proxy/proxy/n'],
    ['/proxy/with%20space/%C3%A9t%C3%A9', 'proxy/with space/été'],
    ['/proxy/a+b', 'proxy/a+b'],
  ];
  for (const [path, to] of cases) {
    const response = await binding.request('GET', `${path}?rcn=1`);
    assert.equal((await echoed(response)).to, to, path);
  }
});

test('paths that cannot be a target get 4000 with the reason', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string, RegExp]> = [
    ['/proxy/%E0%A4%A', /percent-encoding/],
    ['/proxy/%zz', /percent-encoding/],
    ['/proxy/a%2Fb', /encoded "\/"/],
    ['/proxy/a%00b', /control character/],
    ['/', /no target/],
    ['/~/', /CSE-ID/],
    ['/_/sp-only', /SP-ID and a CSE-ID/],
    ['/proxy//n1', /empty segment/],
    ['/proxy/', /ends with "\/"/],
    ['/~/id-proxy/proxy/', /ends with "\/"/],
    ['/_/proxy.example/id-proxy/proxy/n1/', /ends with "\/"/],
  ];
  for (const [path, dbg] of cases) {
    const response = await rawRequest(binding.server.port, { method: 'GET', path, headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'p1' } });
    assert.equal(response.headers['x-m2m-rsc'], '4000', path);
    assert.equal(response.status, 400);
    assert.match(JSON.parse(response.body)['m2m:dbg'], dbg, path);
  }
  assert.equal(binding.handler.received.length, 0);
});

test('Content-Location of a Create is the created resource as an HTTP path', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string, string]> = [
    ['proxy/gateway 1', '/proxy/gateway%201'],
    ['/id-proxy/proxy/n1', '/~/id-proxy/proxy/n1'],
    ['//sp/id-proxy/n1', '/_/sp/id-proxy/n1'],
  ];
  for (const [contentLocation, header] of cases) {
    binding.handler.respond = (req) => ({ rsc: 2001, rqi: req.rqi, pc: { 'm2m:nod': { rn: 'n1' } }, contentLocation });
    const created = await binding.request('POST', '/proxy', { body: node, headers: { 'Content-Type': 'application/json;ty=14' } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('x-m2m-rsc'), '2001');
    assert.equal(created.headers.get('content-location'), header);
  }
  // Only a Create carries it.
  binding.handler.respond = (req) => ({ rsc: 2000, rqi: req.rqi, contentLocation: 'proxy/n1' });
  const read = await binding.request('GET', '/proxy/n1');
  assert.equal(read.headers.get('content-location'), null);
});

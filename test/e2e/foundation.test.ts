import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../helpers/proxy-harness.js';

const JSON_CT = 'application/json';

test('the CSEBase answers on every target form, in JSON and XML', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));

  const cse = await proxy.request('GET', '/proxy');
  assert.equal(cse.status, 200);
  assert.equal(cse.headers.get('x-m2m-rsc'), '2000');
  const body = (await cse.json()) as Record<string, Record<string, unknown>>;
  assert.equal(body['m2m:cb'].rn, 'proxy');
  assert.equal(body['m2m:cb'].csi, '/id-proxy');

  const spRelative = await proxy.request('GET', '/~/id-proxy/proxy');
  assert.equal(spRelative.headers.get('x-m2m-rsc'), '2000');
  assert.deepEqual(await spRelative.json(), body);

  const unstructured = await proxy.request('GET', `/~/id-proxy/${body['m2m:cb'].ri}`);
  assert.equal(unstructured.headers.get('x-m2m-rsc'), '2000');
  assert.deepEqual(await unstructured.json(), body);

  const xml = await proxy.request('GET', '/proxy', { headers: { Accept: 'application/xml' } });
  assert.equal(xml.headers.get('x-m2m-rsc'), '2000');
  assert.match(xml.headers.get('content-type') ?? '', /xml/);
  const text = await xml.text();
  assert.match(text, /<m2m:cb[\s>]/);
  assert.match(text, /<csi>\/id-proxy<\/csi>/);
});

test('a node created by a CSE survives a restart', async (t) => {
  const first = await startTestProxy();
  t.after(() => first.stop(true));
  const created = await first.request('POST', '/proxy', {
    body: JSON.stringify({ 'm2m:nod': { rn: 'gateway-1', ni: 'urn:dev:gateway-1', lbl: ['site-a'] } }),
    headers: { 'Content-Type': `${JSON_CT};ty=14` },
  });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('x-m2m-rsc'), '2001');
  assert.ok(created.headers.get('content-location'));
  const node = ((await created.json()) as Record<string, Record<string, unknown>>)['m2m:nod'];

  await first.close();
  const second = await startTestProxy({}, first.dataDir);
  t.after(() => second.stop());
  const read = await second.request('GET', '/proxy/gateway-1');
  assert.equal(read.headers.get('x-m2m-rsc'), '2000');
  const again = ((await read.json()) as Record<string, Record<string, unknown>>)['m2m:nod'];
  assert.equal(again.ri, node.ri);
  assert.equal(again.ni, 'urn:dev:gateway-1');
  assert.deepEqual(again.lbl, ['site-a', 'offline']);
});

test('bad requests get the right RSC and a useful m2m:dbg, and the proxy stays up', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));

  async function expectError(response: Response, rsc: string, dbg: RegExp) {
    assert.equal(response.headers.get('x-m2m-rsc'), rsc);
    const text = await response.text();
    assert.match(text, /m2m:dbg/);
    assert.match(text, dbg);
  }

  await expectError(
    await proxy.request('POST', '/proxy', { body: '{"m2m:nod": {', headers: { 'Content-Type': `${JSON_CT};ty=14` } }),
    '4000',
    /json/i,
  );
  await expectError(
    await proxy.request('POST', '/proxy', { body: '<m2m:nod><ni>x</ni>', headers: { 'Content-Type': 'application/xml;ty=14' } }),
    '4000',
    /xml/i,
  );
  await expectError(
    await proxy.request('POST', '/proxy', {
      body: JSON.stringify({ 'm2m:nod': { rn: 'n1', ni: 'n1', colour: 'red' } }),
      headers: { 'Content-Type': `${JSON_CT};ty=14` },
    }),
    '4000',
    /colour/,
  );
  await expectError(await proxy.request('GET', '/proxy/no-such-node'), '4004', /no-such-node|not found/i);
  await expectError(await proxy.request('GET', '/proxy', { headers: { 'X-M2M-Origin': 'Cstranger' } }), '4103', /Cstranger|privilege/i);
  const noRi = await fetch(proxy.url('/proxy'), { headers: { 'X-M2M-Origin': 'CAdmin' } });
  await expectError(noRi, '4000', /X-M2M-RI/i);

  const health = await fetch(proxy.url('/healthz'));
  assert.equal(health.status, 200);
});

test('an execution on a mgmtObj under a node without a device answers 6003 and changes nothing', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await proxy.request('POST', '/proxy', {
    body: JSON.stringify({ 'm2m:nod': { rn: 'plain', ni: 'plain-node' } }),
    headers: { 'Content-Type': `${JSON_CT};ty=14` },
  });
  const create = await proxy.request('POST', '/proxy/plain', {
    body: JSON.stringify({ 'm2m:rbo': { rn: 'reboot', mgd: 1009, rbo: true } }),
    headers: { 'Content-Type': `${JSON_CT};ty=13` },
  });
  assert.equal(create.headers.get('x-m2m-rsc'), '6003');
  assert.match(await create.text(), /m2m:dbg/);
  const children = await proxy.request('GET', '/proxy/plain?rcn=6');
  const text = await children.text();
  assert.doesNotMatch(text, /reboot/);
});

test('metrics are exposed in Prometheus format', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await proxy.request('GET', '/proxy');
  const metrics = await (await fetch(proxy.url('/metrics'))).text();
  assert.match(metrics, /onem2m_requests_total\{[^}]*rsc="2000"/);
  assert.match(metrics, /onem2m_request_duration_seconds_bucket/);
  assert.match(metrics, /mappings_reload_failures_total/);
});

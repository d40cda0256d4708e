import { test } from 'node:test';
import assert from 'node:assert/strict';
import { echoed, jsonOf, rawRequest, startBinding } from './binding-harness.js';

test('missing X-M2M-Origin or X-M2M-RI is a bad request naming the header', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());

  const noOrigin = await binding.request('GET', '/proxy', { headers: { 'X-M2M-Origin': null, 'X-M2M-RI': 'r-1', 'X-M2M-RVI': '3' } });
  assert.equal(noOrigin.status, 400);
  assert.equal(noOrigin.headers.get('x-m2m-rsc'), '4000');
  assert.equal(noOrigin.headers.get('x-m2m-ri'), 'r-1');
  assert.equal(noOrigin.headers.get('x-m2m-rvi'), '3');
  assert.match((await jsonOf(noOrigin))['m2m:dbg'], /X-M2M-Origin/);

  const noRi = await binding.request('GET', '/proxy', { headers: { 'X-M2M-RI': null } });
  assert.equal(noRi.headers.get('x-m2m-rsc'), '4000');
  assert.equal(noRi.headers.get('x-m2m-ri'), null);
  assert.match((await jsonOf(noRi))['m2m:dbg'], /X-M2M-RI/);

  const blank = await binding.request('GET', '/proxy', { headers: { 'X-M2M-Origin': '  ', 'X-M2M-RI': null } });
  assert.match((await jsonOf(blank))['m2m:dbg'], /X-M2M-Origin and X-M2M-RI/);
  assert.equal(binding.handler.received.length, 0);
});

test('request headers reach the primitive and the response echoes RI and RVI with an OT', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const response = await binding.request('GET', '/proxy', {
    headers: {
      'X-M2M-Origin': 'Cae-1', 'X-M2M-RI': 'req 42', 'X-M2M-RVI': '4', 'X-M2M-OT': '20261123T114608,856804',
      'X-M2M-RST': '20261124T000000', 'X-M2M-OET': '20261123T120000', 'X-M2M-EC': '3', 'X-M2M-VSI': 'vendor-x',
      'X-M2M-RTU': 'http://a.example/n&mqtt://b.example/c',
    },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-m2m-rsc'), '2000');
  assert.equal(response.headers.get('x-m2m-ri'), 'req 42');
  assert.equal(response.headers.get('x-m2m-rvi'), '4');
  assert.match(response.headers.get('x-m2m-ot') ?? '', /^\d{8}T\d{6}(,\d+)?$/);
  const primitive = await echoed(response);
  assert.equal(primitive.fr, 'Cae-1');
  assert.equal(primitive.rqi, 'req 42');
  assert.equal(primitive.rvi, '4');
  assert.equal(primitive.ot, '20261123T114608,856804');
  assert.equal(primitive.rset, '20261124T000000');
  assert.equal(primitive.oet, '20261123T120000');
  assert.equal(primitive.ec, '3');
  assert.equal(primitive.vsi, 'vendor-x');
  assert.deepEqual(primitive.rt, { rtv: 3, nu: ['http://a.example/n', 'mqtt://b.example/c'] });
});

test('the deadline comes from X-M2M-RET (absolute or relative) or the configured device timeout', async (t) => {
  const binding = await startBinding({ env: { DEVICE_TIMEOUT_MS: '7000' } });
  t.after(() => binding.close());

  const before = Date.now();
  const byDefault = await echoed(await binding.request('GET', '/proxy'));
  assert.ok(byDefault.deadline >= before + 7000 && byDefault.deadline <= Date.now() + 7000, `default deadline ${byDefault.deadline}`);
  assert.equal(byDefault.rqet, undefined);

  const relativeStart = Date.now();
  const relative = await echoed(await binding.request('GET', '/proxy', { headers: { 'X-M2M-RET': '1500' } }));
  assert.ok(relative.deadline >= relativeStart + 1500 && relative.deadline <= Date.now() + 1500);
  assert.equal(relative.rqet, '1500');

  const absolute = await echoed(await binding.request('GET', '/proxy', { headers: { 'X-M2M-RET': '20300102T030405,250000' } }));
  assert.equal(absolute.deadline, Date.UTC(2030, 0, 2, 3, 4, 5, 250));

  // Already expired: passed on, the dispatcher answers it.
  const past = await echoed(await binding.request('GET', '/proxy', { headers: { 'X-M2M-RET': '20000101T000000' } }));
  assert.equal(past.deadline, Date.UTC(2000, 0, 1));

  for (const ret of ['tomorrow', '20301301T000000', '2030-01-02T03:04:05Z', '-5']) {
    const response = await binding.request('GET', '/proxy', { headers: { 'X-M2M-RET': ret } });
    assert.equal(response.headers.get('x-m2m-rsc'), '4000', ret);
    assert.match((await jsonOf(response))['m2m:dbg'], /X-M2M-RET/);
  }
});

test('query parameters become rcn, rt, drt, atrl and filter criteria', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const primitive = await echoed(await binding.request('GET',
    '/proxy?rcn=4&rt=2&drt=1&atrl=ri+lbl&atrl=ct&fu=1&ty=13+14&ty=5&lbl=site%20a+b&lbl=c&lim=10&mgd=1001&mgd=1007+1009&colour=red&bad=%zz'));
  assert.equal(primitive.rcn, 4);
  assert.deepEqual(primitive.rt, { rtv: 2 });
  assert.equal(primitive.drt, 1);
  assert.deepEqual(primitive.atrl, ['ri', 'lbl', 'ct']);
  assert.deepEqual(primitive.fc, { fu: 1, ty: [13, 14, 5], lbl: ['site a', 'b', 'c'], lim: 10, mgd: [1001, 1007, 1009] });
  assert.ok(binding.logs.some((line) => line.msg === 'ignored unknown query parameter' && line.parameter === 'colour'));

  const spaced = await echoed(await binding.request('GET', '/proxy?atrl=ri%20lbl'));
  assert.deepEqual(spaced.atrl, ['ri', 'lbl']);

  const none = await echoed(await binding.request('GET', '/proxy'));
  assert.equal(none.fc, undefined);
  assert.equal(none.rcn, undefined);
  assert.equal(none.rt, undefined);
});

test('malformed known query parameters get 4000 naming the parameter', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string, RegExp]> = [
    ['rcn=one', /"rcn" must be a non-negative integer/],
    ['rcn=1&rcn=2', /"rcn" given more than once/],
    ['rt=-1', /"rt"/],
    ['ty=13+node', /"ty" must be a non-negative integer, got "node"/],
    ['mgd=1.5', /"mgd"/],
    ['lim=', /"lim"/],
    ['fu=%zz', /"fu": malformed percent-encoding/],
    ['lbl=%E0%A4%A', /"lbl": malformed percent-encoding/],
  ];
  for (const [query, dbg] of cases) {
    const response = await rawRequest(binding.server.port, { method: 'GET', path: `/proxy?${query}`, headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'q' } });
    assert.equal(response.headers['x-m2m-rsc'], '4000', query);
    assert.match(JSON.parse(response.body)['m2m:dbg'], dbg, query);
  }
  assert.equal(binding.handler.received.length, 0);
});

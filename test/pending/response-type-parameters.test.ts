import { test } from 'node:test';
import assert from 'node:assert/strict';
import { echoed, jsonOf, startBinding } from '../binding/binding-harness.js';

test('rp is a duration in ms, an ISO 8601 duration or a timestamp; it reaches the core as resultPersistenceMs', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const cases: Array<[string, (ms: number) => boolean]> = [
    ['1500', (ms) => ms === 1500],
    ['PT5S', (ms) => ms === 5000],
    ['P1DT2H', (ms) => ms === 26 * 3600_000],
    ['PT0.5S', (ms) => ms === 500],
    ['99991231T000000', (ms) => ms > 365 * 24 * 3600_000],
  ];
  for (const [rp, expected] of cases) {
    const primitive = await echoed(await binding.request('GET', `/proxy?rt=1&rp=${rp}`));
    assert.equal(primitive.rp, rp);
    assert.ok(expected(primitive.resultPersistenceMs!), `rp=${rp} → ${primitive.resultPersistenceMs}`);
  }
});

test('an invalid rp is refused with 4000 before the request reaches the core', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  for (const rp of ['soon', 'P', 'PT', '-5', 'P1Y', '1.5', 'PT5X', '2026-13-45']) {
    const response = await binding.request('GET', `/proxy?rt=1&rp=${encodeURIComponent(rp)}`);
    assert.equal(response.headers.get('x-m2m-rsc'), '4000', `rp=${rp}`);
    assert.equal(response.status, 400);
    assert.match(String((await jsonOf(response))['m2m:dbg']), /rp/);
  }
  assert.equal(binding.handler.received.length, 0);
});

test('X-M2M-RST reaches the core as resultExpiresAt, and X-M2M-RTU as rt.nu (empty when the header is empty)', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const withTargets = await echoed(await binding.request('GET', '/proxy?rt=2', { headers: { 'X-M2M-RST': '20991231T235959', 'X-M2M-RTU': 'http://127.0.0.1:1/a&http://127.0.0.1:1/b' } }));
  assert.equal(withTargets.resultExpiresAt, Date.UTC(2099, 11, 31, 23, 59, 59));
  assert.deepEqual(withTargets.rt, { rtv: 2, nu: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'] });
  const empty = await echoed(await binding.request('GET', '/proxy?rt=2', { headers: { 'X-M2M-RTU': '' } }));
  assert.deepEqual(empty.rt, { rtv: 2, nu: [] });
});

test('expirations beyond the year 9999 and more than 10 notification targets are refused with 4000 before the core', async (t) => {
  const binding = await startBinding();
  t.after(() => binding.close());
  const targets = Array.from({ length: 11 }, (_, index) => `http://127.0.0.1:1/${index}`).join('&');
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['/proxy?rt=1&rp=P100000000D', {}, /rp .*9999/],
    ['/proxy?rt=1', { 'X-M2M-RET': '999999999999999' }, /X-M2M-RET .*9999/],
    ['/proxy?rt=2', { 'X-M2M-RTU': targets }, /at most 10/],
  ];
  for (const [path, headers, dbg] of cases) {
    const response = await binding.request('GET', path, { headers });
    assert.equal(response.headers.get('x-m2m-rsc'), '4000', `${path} ${JSON.stringify(headers)}`);
    assert.match(String((await jsonOf(response))['m2m:dbg']), dbg);
  }
  assert.equal(binding.handler.received.length, 0);
  const repeated = await echoed(await binding.request('GET', '/proxy?rt=2', { headers: { 'X-M2M-RTU': 'http://127.0.0.1:1/a&http://127.0.0.1:1/a' } }));
  assert.deepEqual(repeated.rt?.nu, ['http://127.0.0.1:1/a'], 'a target named twice is told once');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { startSimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { ADMIN_HEADERS, getJson, sendJson } from './helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = '/admin/lwm2m/bootstrap-configs';

test('bootstrap configurations: create, read masked, replace, list, delete; invalid bodies get 400 with details', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const psk = {
    server: { uri: 'coaps://lwm2m.example:5684', shortServerId: 42 },
    security: { mode: 'psk', identity: 'device-7', key: '00112233445566778899aabbccddeeff' },
    deletes: ['/2'],
  };

  const created = await sendJson(proxy, 'PUT', `${BASE}/urn%3Adev%3A7`, psk);
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.security, { mode: 'psk', identity: 'device-7', key: '********' });
  assert.deepEqual(created.body.server, { uri: 'coaps://lwm2m.example:5684', shortServerId: 42, lifetime: 86400, binding: 'U' }, 'defaults filled in');
  assert.equal(created.body.endpoint, 'urn:dev:7');

  const read = await getJson(proxy, `${BASE}/urn%3Adev%3A7`);
  assert.equal(read.status, 200);
  assert.doesNotMatch(JSON.stringify(read.body), /00112233/, 'the key never leaves the proxy');
  const listed = await getJson<unknown[]>(proxy, BASE);
  assert.doesNotMatch(JSON.stringify(listed.body), /00112233/);
  assert.equal(listed.body.length, 1);

  const replaced = await sendJson(proxy, 'PUT', `${BASE}/urn%3Adev%3A7`, { ...psk, security: { mode: 'nosec' } });
  assert.equal(replaced.status, 200);
  assert.deepEqual(replaced.body.security, { mode: 'nosec' });

  const invalid: Array<[unknown, RegExp]> = [
    [{}, /server/],
    [{ ...psk, server: { ...psk.server, shortServerId: 0 } }, /shortServerId/],
    [{ ...psk, server: { ...psk.server, uri: 'http://x' } }, /uri/],
    [{ ...psk, security: { mode: 'psk', identity: 'x' } }, /key/],
    [{ ...psk, security: { mode: 'psk', identity: 'x', key: 'not-hex' } }, /key/],
    [{ ...psk, security: { mode: 'nosec', key: '00' } }, /security/],
    [{ ...psk, security: { mode: 'rpk' } }, /mode/],
    [{ ...psk, deletes: ['/0/0/1'] }, /deletes/],
    [{ ...psk, colour: 'red' }, /additional/],
    ['{"server": ', /JSON/],
    [[1, 2], /object/],
  ];
  for (const [body, problem] of invalid) {
    const answer = await sendJson(proxy, 'PUT', `${BASE}/bad`, body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.match(JSON.stringify(answer.body), problem, JSON.stringify(body));
  }
  assert.equal((await getJson(proxy, `${BASE}/bad`)).status, 404, 'nothing was stored for invalid bodies');

  const removed = await fetch(proxy.url(`${BASE}/urn%3Adev%3A7`), { method: 'DELETE', headers: ADMIN_HEADERS });
  assert.equal(removed.status, 204);
  assert.equal((await fetch(proxy.url(`${BASE}/urn%3Adev%3A7`), { method: 'DELETE', headers: ADMIN_HEADERS })).status, 404);
  assert.deepEqual((await getJson(proxy, BASE)).body, []);
  assert.equal((await getJson(proxy, '/admin/lwm2m/nothing-here')).status, 404);
});

test('a PSK configuration reaches the client as Security mode 0 with identity and secret key', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await sendJson(proxy, 'PUT', `${BASE}/psk-device`, {
    server: { uri: `coap://127.0.0.1:${proxy.coapPort}`, shortServerId: 9, lifetime: 120, binding: 'UQ' },
    security: { mode: 'psk', identity: 'psk-device', key: 'a1b2c3d4' },
  });
  const device = await startSimulatedDevice({ endpoint: 'psk-device', version: '1.0', objects: ['/3/0'] });
  t.after(() => device.close());
  const outcome = await device.bootstrap({ host: '127.0.0.1', port: proxy.bootstrapPort });
  assert.equal(outcome.finishCode, '2.04');
  const account = outcome.configuration.security.find((s) => !s.bootstrapServer);
  assert.equal(account?.securityMode, 0);
  assert.deepEqual(device.value(`/0/${account?.instanceId}/3`), Buffer.from('psk-device'));
  assert.deepEqual(device.value(`/0/${account?.instanceId}/5`), Buffer.from('a1b2c3d4', 'hex'));
  assert.deepEqual(outcome.configuration.servers, [{ instanceId: 0, shortServerId: 9, lifetime: 120, binding: 'UQ' }]);
});

test('the admin API answers only originators with the admin right', async (t) => {
  const policyDir = mkdtempSync(join(tmpdir(), 'dm-proxy-access-'));
  t.after(() => rmSync(policyDir, { recursive: true, force: true }));
  const accessFile = join(policyDir, 'access.yaml');
  writeFileSync(accessFile, 'originators:\n  - id: CAdmin\n    operations: [retrieve, admin]\n  - id: Cviewer\n    operations: [retrieve, discover]\n');
  const proxy = await startTestProxy({ ACCESS_FILE: accessFile });
  t.after(() => proxy.stop(true));
  const config = JSON.stringify({ serverUri: 'coap://127.0.0.1:5683', shortServerId: 1 });
  const attempts: Array<[Record<string, string>, number]> = [
    [{}, 403],
    [{ 'X-M2M-Origin': 'Cviewer' }, 403],
    [{ 'X-M2M-Origin': 'Cstranger' }, 403],
  ];
  for (const [headers, status] of attempts) {
    const listing = await fetch(proxy.url('/admin/lwm2m/registrations'), { headers });
    assert.equal(listing.status, status, JSON.stringify(headers));
    assert.match(((await listing.json()) as { error: string }).error, /forbidden/);
    const write = await fetch(proxy.url(`${BASE}/urn%3Adev%3Aguarded`), { method: 'PUT', body: config, headers: { ...headers, 'Content-Type': 'application/json' } });
    assert.equal(write.status, status);
  }
  assert.equal((await getJson(proxy, `${BASE}/urn%3Adev%3Aguarded`)).status, 404, 'refused writes stored nothing');
  assert.equal((await fetch(proxy.url('/admin/lwm2m/registrations'), { headers: ADMIN_HEADERS })).status, 200);
});

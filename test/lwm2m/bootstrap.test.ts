import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { startSimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { coapClient } from './coap-client.js';
import { FAST_COAP, eventually, getJson, sendJson } from './helpers.js';

/** Client-initiated bootstrap against the project's LwM2M client simulator, and the Bootstrap-Request codes. */

function nosecConfig(proxy: TestProxy, shortServerId = 123) {
  return { server: { uri: `coap://127.0.0.1:${proxy.coapPort}`, shortServerId, lifetime: 300 }, security: { mode: 'nosec' } };
}

async function putConfig(proxy: TestProxy, key: string, body: unknown) {
  return sendJson(proxy, 'PUT', `/admin/lwm2m/bootstrap-configs/${encodeURIComponent(key)}`, body);
}

test('a full bootstrap (Request, Discover, Delete, Write, Finish) gives the client a working server account', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  assert.equal((await putConfig(proxy, 'urn:dev:bs-*', nosecConfig(proxy))).status, 201, 'pattern configuration created');

  const device = await startSimulatedDevice({ endpoint: 'urn:dev:bs-1', objects: ['/3/0', '/5/0'] });
  t.after(() => device.close());
  const outcome = await device.bootstrap({ host: '127.0.0.1', port: proxy.bootstrapPort });
  assert.equal(outcome.requestCode, '2.04');
  assert.equal(outcome.finishCode, '2.04');

  const steps = device.requests.map((r) => `${r.method} ${r.path}${r.accept === undefined ? '' : ` accept=${r.accept}`}`);
  assert.deepEqual(steps, ['GET / accept=40', 'DELETE /', 'PUT /0/1', 'PUT /1/0', 'POST /bs']);
  assert.equal(device.requests[2].contentFormat, 112, 'a 1.1 client without pct gets SenML CBOR');

  const { security, servers } = outcome.configuration;
  const bootstrapAccount = security.find((s) => s.bootstrapServer);
  assert.equal(bootstrapAccount?.instanceId, 0, 'the bootstrap-server account is kept where it was');
  assert.equal(bootstrapAccount?.serverUri, `coap://127.0.0.1:${proxy.bootstrapPort}`);
  const account = security.find((s) => !s.bootstrapServer);
  assert.deepEqual(account, { instanceId: 1, serverUri: `coap://127.0.0.1:${proxy.coapPort}`, bootstrapServer: false, securityMode: 3, shortServerId: 123 });
  assert.deepEqual(servers, [{ instanceId: 0, shortServerId: 123, lifetime: 300, binding: 'U' }]);

  // The written account works: the device registers with the LwM2M Server it was given.
  assert.equal((await device.register()).code, '2.01');
  assert.equal((await getJson(proxy, '/admin/lwm2m/registrations/urn%3Adev%3Abs-1')).status, 200);
  assert.deepEqual((await getJson(proxy, '/admin/lwm2m/bootstrap-failures')).body, []);
});

test('over IPv6, the client preference (pct) picks the write format and the exact endpoint wins over a pattern', async (t) => {
  const proxy = await startTestProxy({ HOST: '::' });
  t.after(() => proxy.stop(true));
  await putConfig(proxy, 'urn:dev:*', nosecConfig(proxy, 7));
  await putConfig(proxy, 'urn:dev:exact', nosecConfig(proxy, 8));
  const device = await startSimulatedDevice({ endpoint: 'urn:dev:exact', version: '1.0', preferredFormat: 11542, family: 6 });
  t.after(() => device.close());
  const outcome = await device.bootstrap({ host: '::1', port: proxy.bootstrapPort });
  assert.equal(outcome.finishCode, '2.04');
  const writes = device.requests.filter((r) => r.method === 'PUT');
  assert.deepEqual(writes.map((w) => w.contentFormat), [11542, 11542]);
  assert.deepEqual(outcome.configuration.servers.map((s) => s.shortServerId), [8]);
});

test('a write format the client refuses with 4.15 is followed by the next one', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await putConfig(proxy, 'tlv-only', nosecConfig(proxy));
  const device = await startSimulatedDevice({ endpoint: 'tlv-only', version: '1.1', formats: [0, 42, 11542], objects: ['/3/0'] });
  t.after(() => device.close());
  const outcome = await device.bootstrap({ host: '127.0.0.1', port: proxy.bootstrapPort });
  assert.equal(outcome.finishCode, '2.04');
  const writes = device.requests.filter((r) => r.method === 'PUT').map((r) => `${r.path} ${r.contentFormat}`);
  assert.deepEqual(writes, ['/0/1 112', '/0/1 110', '/0/1 11542', '/1/0 11542'], 'the Server write starts with the format that worked');
});

test('a Finish answered 4.06 makes the server delete what it wrote, record the failure and wait for a new request', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  await putConfig(proxy, 'urn:dev:picky', nosecConfig(proxy));
  const device = await startSimulatedDevice({ endpoint: 'urn:dev:picky', finishAnswer: '4.06' });
  t.after(() => device.close());

  const refused = await device.bootstrap({ host: '127.0.0.1', port: proxy.bootstrapPort });
  assert.equal(refused.finishCode, '4.06');
  const written = device.requests.filter((r) => r.method === 'PUT').map((r) => r.path);
  assert.equal(written.length, 2);
  // The factory account (/0/1, /1/0) was in use at Discover time, so the new account went to free IDs.
  assert.deepEqual(written, ['/0/2', '/1/1']);
  await eventually(async () => {
    const deleted = device.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    return written.every((path) => deleted.includes(path)) ? true : undefined;
  });
  const failures = await eventually(async () => {
    const { body } = await getJson<Array<Record<string, unknown>>>(proxy, '/admin/lwm2m/bootstrap-failures');
    return body.length > 0 ? body : undefined;
  });
  assert.equal(failures[0].endpoint, 'urn:dev:picky');
  assert.equal(failures[0].stage, 'finish');
  assert.equal(failures[0].code, '4.06');
  assert.deepEqual(device.configuration().servers, [], 'the written Server instance is gone');
  assert.deepEqual(device.configuration().security.map((s) => s.bootstrapServer), [true], 'only the bootstrap account is left');
  const requestsAfterCleanup = device.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(device.requests.length, requestsAfterCleanup, 'the server waits for a fresh Bootstrap-Request');

  device.quirks.finishAnswer = undefined;
  const retried = await device.bootstrap({ host: '127.0.0.1', port: proxy.bootstrapPort });
  assert.equal(retried.finishCode, '2.04');
  // The server clears the failure once it has the Finish answer, i.e. right after the device sent it.
  const cleared = await eventually(async () => {
    const { body } = await getJson<unknown[]>(proxy, '/admin/lwm2m/bootstrap-failures');
    return body.length === 0 ? body : undefined;
  });
  assert.deepEqual(cleared, [], 'a successful bootstrap clears the failure');
});

test('Bootstrap-Request codes: 4.00 without ep or configuration, 4.15 for an unsupported pct, 4.04 for /bspack', async (t) => {
  const proxy = await startTestProxy(FAST_COAP);
  t.after(() => proxy.stop(true));
  await putConfig(proxy, 'known', nosecConfig(proxy));
  const bs = (method: 'get' | 'post', path: string) => coapClient({ method, uri: `coap://127.0.0.1:${proxy.bootstrapPort}${path}` });
  assert.equal((await bs('post', '/bs')).code, '4.00');
  assert.equal((await bs('post', '/bs?ep=unknown')).code, '4.00');
  assert.equal((await bs('post', '/bs?ep=known&colour=red')).code, '4.00');
  assert.equal((await bs('post', '/bs?ep=known&pct=json')).code, '4.00');
  assert.equal((await bs('post', '/bs?ep=known&pct=50')).code, '4.15');
  assert.equal((await bs('post', '/bs?ep=known&pct=0')).code, '4.15', 'plain text cannot carry an instance');
  assert.equal((await bs('get', '/bspack?ep=known')).code, '4.04');
  assert.equal((await bs('get', '/bs?ep=known')).code, '4.05');
  assert.equal((await bs('post', '/rd?ep=known')).code, '4.04');

  // Accepted, but coap-client is gone before the Discover: the session times out and is recorded.
  assert.equal((await bs('post', '/bs?ep=known&pct=112')).code, '2.04');
  const failure = await eventually(async () => {
    const { body } = await getJson<Array<Record<string, unknown>>>(proxy, '/admin/lwm2m/bootstrap-failures');
    return body.find((entry) => entry.endpoint === 'known');
  });
  assert.equal(failure.stage, 'discover');
  assert.equal(failure.code, undefined);
  assert.match(String(failure.reason), /no answer/);
  const { body: failures } = await getJson<Array<Record<string, unknown>>>(proxy, '/admin/lwm2m/bootstrap-failures');
  assert.deepEqual(failures.map((entry) => `${entry.endpoint} ${entry.stage}`).sort(), ['known discover', 'unknown request'], 'only refusals with an endpoint are recorded');
});

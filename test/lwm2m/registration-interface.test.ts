import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { coapClient, type CoapClientRequest } from './coap-client.js';
import { getJson, mgmtObjs } from './helpers.js';

/** Hand-crafted Register / Update / De-register requests from libcoap's coap-client, one per response code of seed 001. */

interface Case {
  name: string;
  request: Omit<CoapClientRequest, 'uri'> & { path: string };
  code: string;
}

const LINKS = '</1/0>,</3/0>';

function rd(query: string, extra: Partial<Case['request']> = {}): Case['request'] {
  return { method: 'post', path: `/rd?${query}`, contentFormat: 40, payload: LINKS, ...extra };
}

const REGISTER_CASES: Case[] = [
  { name: 'missing ep', request: rd('lt=60'), code: '4.00' },
  { name: 'empty ep', request: rd('ep=&lt=60'), code: '4.00' },
  { name: 'unknown parameter', request: rd('ep=c1&colour=red'), code: '4.00' },
  { name: 'repeated parameter', request: rd('ep=c1&lt=60&lt=70'), code: '4.00' },
  { name: 'lifetime not a number', request: rd('ep=c1&lt=soon'), code: '4.00' },
  { name: 'lifetime zero', request: rd('ep=c1&lt=0'), code: '4.00' },
  { name: 'lifetime negative', request: rd('ep=c1&lt=-5'), code: '4.00' },
  { name: 'binding T on 1.0', request: rd('ep=c1&b=T'), code: '4.00' },
  { name: 'binding UQ on 1.1', request: rd('ep=c1&lwm2m=1.1&b=UQ'), code: '4.00' },
  { name: 'binding with a repeated letter on 1.1', request: rd('ep=c1&lwm2m=1.1&b=UU'), code: '4.00' },
  { name: 'unknown binding letter on 1.1', request: rd('ep=c1&lwm2m=1.1&b=X'), code: '4.00' },
  { name: 'Q parameter on 1.0', request: rd('ep=c1&Q'), code: '4.00' },
  { name: 'Q parameter with a value', request: rd('ep=c1&lwm2m=1.1&Q=1'), code: '4.00' },
  { name: 'bad sms number', request: rd('ep=c1&sms=call-me'), code: '4.00' },
  { name: 'malformed version', request: rd('ep=c1&lwm2m=one'), code: '4.00' },
  { name: 'version 1.3 (above the highest)', request: rd('ep=c1&lwm2m=1.3'), code: '4.12' },
  { name: 'version 2.0 (other major)', request: rd('ep=c1&lwm2m=2.0'), code: '4.12' },
  { name: 'version 0.9 (other major)', request: rd('ep=c1&lwm2m=0.9'), code: '4.12' },
  { name: 'denied endpoint', request: rd('ep=blocked-7'), code: '4.03' },
  { name: 'text/plain payload', request: rd('ep=c1', { contentFormat: 0 }), code: '4.00' },
  { name: 'JSON payload', request: rd('ep=c1', { contentFormat: 50, payload: '{"objects":[3]}' }), code: '4.00' },
  { name: 'unterminated link', request: rd('ep=c1', { payload: '</1/0>,</3/0' }), code: '4.00' },
  { name: 'not link-format at all', request: rd('ep=c1', { payload: 'hello device' }), code: '4.00' },
  { name: 'non-numeric object link', request: rd('ep=c1', { payload: '</3/zero>' }), code: '4.00' },
  { name: 'object ID out of range', request: rd('ep=c1', { payload: '</70000/0>' }), code: '4.00' },
  { name: 'resource-level link', request: rd('ep=c1', { payload: '</3/0/1>' }), code: '4.00' },
  { name: 'malformed object version', request: rd('ep=c1', { payload: '</3>;ver=new,</3/0>' }), code: '4.00' },
  { name: 'unquoted value with a space', request: rd('ep=c1', { payload: '</3/0>;title=a b' }), code: '4.00' },
  { name: 'empty payload', request: rd('ep=c1', { payload: undefined }), code: '4.00' },
  { name: 'payload not UTF-8', request: rd('ep=c1', { payload: '</3/0>;title="%ff%fe"' }), code: '4.00' },
  { name: 'GET on /rd', request: { method: 'get', path: '/rd' }, code: '4.05' },
  { name: 'unknown resource', request: { method: 'post', path: '/register?ep=c1', contentFormat: 40, payload: LINKS }, code: '4.04' },
  { name: 'lwm2m 1.2 with N binding and Q', request: rd('ep=ok-12&lwm2m=1.2&b=UN&Q'), code: '2.01' },
  { name: 'no Content-Format (lwm2m-node-lib style)', request: rd('ep=ok-nocf', { contentFormat: undefined }), code: '2.01' },
  { name: 'LwM2M 1.0 queue mode', request: rd('ep=ok-uq&b=UQ&sms=%2B491701234567&lt=120'), code: '2.01' },
];

async function send(proxy: TestProxy, request: Case['request'], host = '127.0.0.1') {
  const { path, ...rest } = request;
  return coapClient({ ...rest, uri: `coap://${host.includes(':') ? `[${host}]` : host}:${proxy.coapPort}${path}` });
}

async function registration(proxy: TestProxy, endpoint: string) {
  return getJson(proxy, `/admin/lwm2m/registrations/${encodeURIComponent(endpoint)}`);
}

test('Register answers 4.00 / 4.03 / 4.05 / 4.04 / 4.12 to offending requests and 2.01 to valid ones', async (t) => {
  const proxy = await startTestProxy({ LWM2M_ENDPOINT_DENY: '^blocked-' });
  t.after(() => proxy.stop(true));
  for (const { name, request, code } of REGISTER_CASES) {
    const answer = await send(proxy, request);
    assert.equal(answer.code, code, `${name}:\n${answer.log}`);
  }
  const listed = await getJson<Array<{ endpoint: string }>>(proxy, '/admin/lwm2m/registrations');
  assert.deepEqual(listed.body.map((r) => r.endpoint).sort(), ['ok-12', 'ok-nocf', 'ok-uq']);

  const v12 = (await registration(proxy, 'ok-12')).body;
  assert.equal(v12.version, '1.2');
  assert.equal(v12.binding, 'UN');
  assert.equal(v12.queueMode, true);
  assert.equal(v12.lifetime, 86400, 'default lifetime');
  const uq = (await registration(proxy, 'ok-uq')).body;
  assert.equal(uq.version, '1.0', 'default version');
  assert.equal(uq.queueMode, true);
  assert.equal(uq.sms, '+491701234567');
  assert.equal((await registration(proxy, 'ok-nocf')).body.binding, 'U', 'default binding');

  const metrics = await (await fetch(proxy.url('/metrics'))).text();
  assert.match(metrics, /lwm2m_registration_requests_total\{operation="register",code="4.12"\} 3/);
});

test('the version and endpoint policies come from the configuration', async (t) => {
  const proxy = await startTestProxy({ LWM2M_VERSIONS: '1.0', LWM2M_ENDPOINT_ALLOW: '^dev-', LWM2M_ENDPOINT_DENY: '-retired$' });
  t.after(() => proxy.stop(true));
  assert.equal((await send(proxy, rd('ep=dev-1&lwm2m=1.1'))).code, '4.12');
  assert.equal((await send(proxy, rd('ep=other-1'))).code, '4.03');
  assert.equal((await send(proxy, rd('ep=dev-2-retired'))).code, '4.03');
  assert.equal((await send(proxy, rd('ep=dev-1&lwm2m=1.0'))).code, '2.01');
});

test('Register understands root links, object versions and instance links, and drops the Security object', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const payload = '</lwm2m>;rt="oma.lwm2m";ct=110, </lwm2m/0/0>,</lwm2m/0/1>,</lwm2m/1/0>,</lwm2m/3>;ver=1.1,</lwm2m/3/0>,</lwm2m/5/0>;ver="1.0",</lwm2m/9/4>,</lwm2m/6>,</lwm2m/3303/0>;obs';
  const answer = await send(proxy, rd('ep=urn:dev:alt%20root&lwm2m=1.1', { payload }));
  assert.equal(answer.code, '2.01', answer.log);
  assert.equal(answer.locationPath[0], 'rd');

  const { body } = await registration(proxy, 'urn:dev:alt root');
  assert.equal(body.rootPath, '/lwm2m');
  assert.equal(body.preferredFormat, 110);
  assert.deepEqual(body.objects, ['/lwm2m/1/0', '/lwm2m/3/0', '/lwm2m/5/0', '/lwm2m/9/4', '/lwm2m/6', '/lwm2m/3303/0']);
  assert.deepEqual(body.objectVersions, { 3: '1.1', 5: '1.0' });

  const objs = await mgmtObjs(proxy, 'proxy/dev:alt_root');
  assert.deepEqual(objs.get('firmware')?.obps, ['/lwm2m/5/0']);
  assert.deepEqual(objs.get('software-4')?.obps, ['/lwm2m/9/4']);
  assert.deepEqual(objs.get('reboot')?.obis, ['urn:oma:lwm2m:oma:3']);
});

test('Update, re-Register and De-register: 2.04 / 2.02, 4.04 for unknown or replaced locations, 4.00 for bad parameters', async (t) => {
  const proxy = await startTestProxy({ HOST: '::' });
  t.after(() => proxy.stop(true));
  const first = await send(proxy, rd('ep=urn:dev:u1&lt=60', { payload: '</1/0>,</3/0>,</5/0>,</9/0>,</9/1>' }), '::1');
  assert.equal(first.code, '2.01', first.log);
  const location = `/${first.locationPath.join('/')}`;
  assert.match((await registration(proxy, 'urn:dev:u1')).body.address as string, /^coap:\/\/\[::1\]:\d+$/);

  const update = (query: string, extra: Partial<Case['request']> = {}) => send(proxy, { method: 'post', path: `${location}${query}`, ...extra });
  assert.equal((await update('?lt=120&b=UQ')).code, '2.04');
  assert.equal((await update('?colour=red')).code, '4.00');
  assert.equal((await update('?lt=never')).code, '4.00');
  assert.equal((await update('?b=N')).code, '4.00', 'N is not a 1.0 binding');
  assert.equal((await update('', { contentFormat: 40, payload: '</1/0>,</3/0' })).code, '4.00');
  assert.equal((await update('', { contentFormat: 0, payload: '</3/0>' })).code, '4.00');
  // An Update from another address (here IPv4 on the dual-stack socket) and with a new object list takes effect.
  assert.equal((await send(proxy, { method: 'post', path: location, contentFormat: 40, payload: '</1/0>,</3/0>,</9/1>' })).code, '2.04');
  const updated = (await registration(proxy, 'urn:dev:u1')).body;
  assert.equal(updated.lifetime, 120);
  assert.equal(updated.binding, 'UQ');
  assert.equal(updated.queueMode, true);
  assert.match(updated.address as string, /^coap:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(updated.objects, ['/1/0', '/3/0', '/9/1']);
  const objs = await mgmtObjs(proxy, 'proxy/dev:u1');
  assert.ok(!objs.has('firmware') && !objs.has('software-0'), 'instances gone from the Update leave the tree');
  assert.ok(objs.has('software-1') && objs.has('deviceInfo'));

  assert.equal((await send(proxy, { method: 'post', path: '/rd/no-such-id?lt=60' })).code, '4.04');
  assert.equal((await send(proxy, { method: 'delete', path: '/rd/no-such-id' })).code, '4.04');
  assert.equal((await send(proxy, { method: 'put', path: location })).code, '4.05');

  // A second Register of the endpoint replaces the first: new location, the old one is gone.
  const second = await send(proxy, rd('ep=urn:dev:u1&lt=60'));
  assert.equal(second.code, '2.01');
  assert.notDeepEqual(second.locationPath, first.locationPath);
  assert.equal((await update('?lt=60')).code, '4.04');
  assert.equal((await send(proxy, { method: 'delete', path: location })).code, '4.04');

  const newLocation = `/${second.locationPath.join('/')}`;
  assert.equal((await send(proxy, { method: 'delete', path: newLocation })).code, '2.02');
  assert.equal((await send(proxy, { method: 'delete', path: newLocation })).code, '4.04');
  assert.equal((await registration(proxy, 'urn:dev:u1')).status, 404);
});

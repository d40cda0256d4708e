import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';

const JSON_CREATE = { Accept: 'application/json', 'Content-Type': 'application/json;ty=14' };
const JSON_UPDATE = { Accept: 'application/json', 'Content-Type': 'application/json' };

async function send(proxy: TestProxy, method: string, path: string, body: string | undefined, headers: Record<string, string>) {
  const response = await proxy.request(method, path, { body, headers });
  const text = await response.text();
  return { rsc: response.headers.get('x-m2m-rsc'), text };
}

test('an empty hael or hsl (node) or obps, obis, cmlk (mgmtObj) is refused 4000 naming the attribute, in JSON and XML; labels may be empty', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));

  const emptyHael = await send(proxy, 'POST', '/proxy', JSON.stringify({ 'm2m:nod': { rn: 'empty-hael', ni: 'ni-empty-hael', hael: [] } }), JSON_CREATE);
  assert.equal(emptyHael.rsc, '4000');
  assert.match(JSON.parse(emptyHael.text)['m2m:dbg'], /"hael" \(hostedAELinks\) must not be an empty list/);
  assert.equal((await proxy.request('GET', '/proxy/empty-hael', { headers: { Accept: 'application/json' } })).headers.get('x-m2m-rsc'), '4004');

  const xmlEmptyHael = await send(
    proxy, 'POST', '/proxy',
    '<m2m:nod xmlns:m2m="http://www.onem2m.org/xml/protocols" rn="xml-hael"><ni>ni-xml-hael</ni><hael></hael></m2m:nod>',
    { Accept: 'application/xml', 'Content-Type': 'application/xml;ty=14' },
  );
  assert.equal(xmlEmptyHael.rsc, '4000');
  assert.match(xmlEmptyHael.text, /hael/);

  const created = await send(proxy, 'POST', '/proxy', JSON.stringify({ 'm2m:nod': { rn: 'listed', ni: 'ni-listed', hael: ['/id-proxy/ae-1'], lbl: [] } }), JSON_CREATE);
  assert.equal(created.rsc, '2001', created.text);
  assert.deepEqual(JSON.parse(created.text)['m2m:nod'].hael, ['/id-proxy/ae-1']);

  const emptyHsl = await send(proxy, 'PUT', '/proxy/listed', JSON.stringify({ 'm2m:nod': { hsl: [] } }), JSON_UPDATE);
  assert.equal(emptyHsl.rsc, '4000');
  assert.match(JSON.parse(emptyHsl.text)['m2m:dbg'], /"hsl" \(hostedServiceLinks\) must not be an empty list/);

  const emptyLabels = await send(proxy, 'PUT', '/proxy/listed', JSON.stringify({ 'm2m:nod': { lbl: [] } }), JSON_UPDATE);
  assert.equal(emptyLabels.rsc, '2004', emptyLabels.text);
  const read = JSON.parse((await send(proxy, 'GET', '/proxy/listed', undefined, { Accept: 'application/json' })).text)['m2m:nod'];
  assert.deepEqual(read.hael, ['/id-proxy/ae-1']);
  assert.equal(read.hsl, undefined);

  for (const [name, long] of [['obps', 'objectPaths'], ['obis', 'objectIDs'], ['cmlk', 'mgmtLink']]) {
    const reboot = { rn: `reboot-${name}`, mgd: 1009, [name]: [] };
    const mgmtObj = await send(proxy, 'POST', '/proxy/listed', JSON.stringify({ 'm2m:rbo': reboot }), { ...JSON_CREATE, 'Content-Type': 'application/json;ty=13' });
    assert.equal(mgmtObj.rsc, '4000', name);
    assert.match(JSON.parse(mgmtObj.text)['m2m:dbg'], new RegExp(`"${name}" \\(${long}\\) must not be an empty list`));
  }
});

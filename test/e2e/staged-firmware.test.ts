import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachDevice, oneM2M, startProxy, wrap } from '../management/managed-devices.js';
import { eventually } from '../lwm2m/helpers.js';

test('a firmware URL staged on a node the CSE named itself reaches the LwM2M device that registers later', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.stop(true));
  const endpoint = `urn:dev:staged-${process.pid}`;
  // a port nothing listens on: the device's download fails, after it took the URL
  const url = 'coap://127.0.0.1:9/fw-2.bin';

  const node = await oneM2M(proxy, 'POST', '/proxy', { 'm2m:nod': { rn: 'site-a-meter', ni: endpoint } }, { 'Content-Type': 'application/json;ty=14' });
  assert.equal(node.rsc, 2001, node.dbg);
  assert.deepEqual(node.body.lbl, ['offline']);
  const staged = await oneM2M(proxy, 'POST', '/proxy/site-a-meter', wrap('firmware', { rn: 'next-fw', mgd: 1001, vr: '2.0', fwn: 'fw', url, ud: false }),
    { 'Content-Type': 'application/json;ty=13' });
  assert.equal(staged.rsc, 2001, staged.dbg);
  assert.deepEqual(staged.body.lbl, ['staged']);
  const update = await oneM2M(proxy, 'PUT', '/proxy/site-a-meter/next-fw', wrap('firmware', { ud: true }));
  assert.equal(update.rsc, 6003, 'an execution needs a device');

  const { device } = await attachDevice(proxy, { endpoint, autoUpdate: false });
  t.after(() => device.close());
  const written = await device.waitForRequest((request) => request.method === 'PUT' && request.path === '/5/0/1', 15_000);
  assert.ok(written.payload.toString('latin1').includes(url), 'the Write carries the staged URL');
  assert.equal(String(device.value('/5/0/1')), url, 'the device holds the staged URL');

  const settled = await eventually(async () => {
    const answer = await oneM2M(proxy, 'GET', '/proxy/site-a-meter/next-fw?rcn=1&atrl=lbl');
    return answer.rsc === 2000 && !(answer.body.lbl ?? []).includes('staged') ? answer.body : undefined;
  }, 15_000, 'the staged label to go');
  assert.ok(!(settled.lbl ?? []).includes('staged-refused:url'));

  const bound = await oneM2M(proxy, 'GET', '/proxy/site-a-meter');
  assert.equal(bound.rsc, 2000);
  assert.deepEqual(bound.body.lbl, ['lwm2m', 'online']);
  assert.equal((await oneM2M(proxy, 'GET', `/proxy/${endpoint.replace(/^urn:/, '')}`)).rsc, 4004, 'no node under the derived name');
  const metrics = await (await proxy.request('GET', '/metrics')).text();
  assert.match(metrics, /onem2m_staged_values_total\{outcome="applied"\} [1-9]/);
});

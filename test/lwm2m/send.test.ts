import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import { nodeNameForDevice } from '../../src/onem2m/resources/device-node-naming.js';
import { coapClient } from './coap-client.js';
import { FAST_COAP, mgmtObjs } from './helpers.js';

/** Issue 8 point 14: LwM2M Send (`POST /dp`, 1.1+) updates the stored mgmtObjs and is answered 2.04. */

async function registered(t: { after: (fn: () => void) => void }, coapPort: number, endpoint: string, version: '1.0' | '1.1' = '1.1'): Promise<SimulatedDevice> {
  const device = await startSimulatedDevice({ endpoint, version, server: { host: '127.0.0.1', port: coapPort } });
  t.after(() => device.close());
  assert.equal((await device.register()).code, '2.01');
  return device;
}

const senmlJson = (records: unknown[]) => ({ contentFormat: ContentFormat.SENML_JSON, payload: Buffer.from(JSON.stringify(records)) });

test('a Send of the battery level is stored in the battery mgmtObj without any device read; a CSE sees it in the stored tree while the device is silent', async (t) => {
  const proxy = await startTestProxy(FAST_COAP);
  t.after(() => proxy.stop(true));
  const device = await registered(t, proxy.coapPort, 'urn:dev:send-1');
  const nodePath = `proxy/${nodeNameForDevice('urn:dev:send-1')}`;
  const battery = async () => (await mgmtObjs(proxy, nodePath)).get('battery');
  assert.equal((await battery())?.btl, undefined, 'nothing read yet');

  device.setValue('/3/0/9', 42);
  const answer = await device.send(['/3/0/9']);
  assert.equal(answer.code, '2.04');
  assert.equal((await battery())?.btl, 42, 'stored when the 2.04 arrives');
  assert.equal(device.requests.length, 0, 'the proxy asked the device nothing');

  // SenML JSON, several readings of one resource: the latest (by SenML time, not record order) is the value.
  const series = senmlJson([{ bn: '/3/0/', n: '9', v: 55 }, { n: '9', v: 10, t: -60 }, { n: '20', v: 4 }]);
  assert.equal((await device.send([], series)).code, '2.04');
  const stored = await battery();
  assert.equal(stored?.btl, 55);
  assert.equal(stored?.bts, 5, 'Battery Status 4 (low) through its converter: m2m:batteryStatus 5');

  // What the CSE sees: the node's child resources (rcn=8, no device read) while the device answers nothing.
  device.quirks.silent = true;
  const response = await proxy.request('GET', `/${nodePath}?rcn=8`, { headers: { Accept: 'application/json', 'X-M2M-RET': '1000' } });
  assert.equal(response.headers.get('x-m2m-rsc'), '2000');
  const node = ((await response.json()) as Record<string, Record<string, Array<Record<string, unknown>>>>)['m2m:nod'];
  assert.equal(node['m2m:bat'][0].btl, 55);
  assert.equal(node['m2m:bat'][0].bts, 5);
});

test('Send answers: 4.00 for an unknown sender, a 1.0 client or a bad payload, 4.04 for an instance it did not register, 4.15 for a non-SenML format', async (t) => {
  const proxy = await startTestProxy(FAST_COAP);
  t.after(() => proxy.stop(true));
  const device = await registered(t, proxy.coapPort, 'urn:dev:send-2');
  const nodePath = `proxy/${nodeNameForDevice('urn:dev:send-2')}`;

  const stranger = await coapClient({ method: 'post', uri: `coap://127.0.0.1:${proxy.coapPort}/dp`, contentFormat: 110, payload: '[{"n":"/3/0/9","v":1}]' });
  assert.equal(stranger.code, '4.00', 'no registration from that address');
  assert.equal((await coapClient({ method: 'get', uri: `coap://127.0.0.1:${proxy.coapPort}/dp` })).code, '4.05');

  const old = await registered(t, proxy.coapPort, 'urn:dev:send-1.0', '1.0');
  assert.equal((await old.send(['/3/0/9'], senmlJson([{ n: '/3/0/9', v: 1 }]))).code, '4.00', 'Send is LwM2M 1.1+');

  assert.equal((await device.send([], { contentFormat: ContentFormat.TLV, payload: Buffer.from([0xc1, 0x09, 0x01]) })).code, '4.15');
  assert.equal((await device.send([], { contentFormat: ContentFormat.SENML_CBOR, payload: Buffer.from([0xff, 0x00, 0x13]) })).code, '4.00');
  assert.equal((await device.send([], senmlJson([]))).code, '4.00', 'no value');
  assert.equal((await device.send([], senmlJson([{ n: '/3/0', v: 1 }]))).code, '4.00', 'not a resource');
  assert.equal((await device.send([], senmlJson([{ n: '/3/0/9', v: 7 }, { n: '/9/7/0', vs: 'x' }]))).code, '4.04', '/9/7 was not registered');
  assert.equal((await mgmtObjs(proxy, nodePath)).get('battery')?.btl, undefined, 'a refused Send stores nothing');

  // A value its converter cannot read is not stored; the rest of the Send is.
  assert.equal((await device.send([], senmlJson([{ n: '/3/0/9', v: 33 }, { n: '/3/0/20', v: 9 }]))).code, '2.04');
  const battery = (await mgmtObjs(proxy, nodePath)).get('battery');
  assert.equal(battery?.btl, 33);
  assert.equal(battery?.bts, undefined);
});

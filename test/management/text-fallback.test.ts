import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { eventually, mgmtObjs } from '../lwm2m/helpers.js';
import { startNodeLibDevice, type NodeLibDevice } from './lwm2m-node-lib-client.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';

async function readTimeouts(proxy: TestProxy): Promise<number> {
  const metrics = await (await fetch(proxy.url('/metrics'))).text();
  const match = /lwm2m_downlink_requests_total\{operation="read",code="timeout"\} (\d+)/.exec(metrics);
  return match ? Number(match[1]) : 0;
}

describe('clients that never answer multi-value formats get resource-by-resource plain text', () => {
  let proxy: TestProxy;

  before(async () => {
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.stop(true);
  });

  it('simulated text-only client: one time-out, then text reads; the next Retrieve goes straight to text', async () => {
    const { device, node } = await attachDevice(proxy, { version: '1.0', autoUpdate: false, quirks: { textOnly: true } });
    try {
      const timeoutsBefore = await readTimeouts(proxy);
      const first = await oneM2M(proxy, 'GET', `${node}/deviceInfo`);
      assert.equal(first.rsc, 2000, first.dbg);
      assert.equal(first.body.man, 'Simulated Devices Ltd');
      assert.equal(first.body.hwv, 'HW-1.0');
      assert.equal(device.requests[0].path, '/3/0');
      assert.equal(device.requests[0].accept, ContentFormat.TLV);
      assert.ok(device.requests.slice(1).every((request) => request.accept === ContentFormat.TEXT && request.path.split('/').length === 4));
      assert.equal(await readTimeouts(proxy), timeoutsBefore + 1);

      const from = device.requests.length;
      const second = await oneM2M(proxy, 'GET', `${node}/memory`);
      assert.equal(second.rsc, 2000, second.dbg);
      assert.equal(second.body.mma, 15_000);
      assert.deepEqual(sentSince(device, from), ['GET /3/0/10', 'GET /3/0/21']);
      assert.equal(await readTimeouts(proxy), timeoutsBefore + 1, 'no second time-out');

      const eventLog = await oneM2M(proxy, 'GET', `${node}/eventLog-0`);
      assert.equal(eventLog.rsc, 2000, eventLog.dbg);
      assert.equal('lgd' in eventLog.body, false, 'opaque LogData is not asked of a text-only client');
    } finally {
      device.close();
    }
  });

  it('simulated text-only client: writes go as PUT of single resources in text', async () => {
    const { device, node } = await attachDevice(proxy, { version: '1.0', autoUpdate: false, quirks: { textOnly: true } });
    try {
      const write = await oneM2M(proxy, 'PUT', `${node}/eventLog-0`, wrap('eventLog', { lgt: 4 }));
      assert.equal(write.rsc, 2004, write.dbg);
      assert.deepEqual(device.requests.map((request) => [request.method, request.path, request.contentFormat]), [['PUT', '/20/0/4010', ContentFormat.TEXT]]);
      assert.equal(Number(device.value('/20/0/4010')), 4);
    } finally {
      device.close();
    }
  });

  describe('npm lwm2m-node-lib (a real LwM2M 1.0 text-only client)', () => {
    let client: NodeLibDevice;
    const node = `/proxy/node-lib-${process.pid}`;

    before(async () => {
      client = await startNodeLibDevice(proxy.coapPort, `node-lib-${process.pid}`, {
        '/3/0': { 0: 'Telefonica I+D', 1: 'node-lib', 3: '0.9', 9: '55', 10: '64', 20: '5', 21: '512' },
        // no State / Update Result: an Update cannot be followed (the library would also take the proxy's Cancel
        // Observation, GET with Observe=1, for a new observation whose timer it never stops)
        '/5/0': { 1: '', 6: 'fw', 7: '0.9' },
      });
    });
    after(async () => {
      await client.close();
    });

    it('is read through the text fallback: deviceInfo, memory (kB → bytes), battery (status + 1)', async () => {
      const deviceInfo = await oneM2M(proxy, 'GET', `${node}/deviceInfo`);
      assert.equal(deviceInfo.rsc, 2000, deviceInfo.dbg);
      assert.equal(deviceInfo.body.man, 'Telefonica I+D');
      assert.equal(deviceInfo.body.mod, 'node-lib');
      assert.equal(deviceInfo.body.fwv, '0.9');
      assert.equal('hwv' in deviceInfo.body, false, 'a resource the client lacks stays absent');
      const memory = await oneM2M(proxy, 'GET', `${node}/memory`);
      assert.deepEqual([memory.body.mma, memory.body.mmt], [64_000, 512_000]);
      const battery = await oneM2M(proxy, 'GET', `${node}/battery`);
      assert.deepEqual([battery.body.btl, battery.body.bts], [55, 6]);
    });

    it('is written through PUT of a single text resource and executed', async () => {
      const write = await oneM2M(proxy, 'PUT', `${node}/firmware`, wrap('firmware', { url: 'http://example.com/fw-1.0.bin' }));
      assert.equal(write.rsc, 2004, write.dbg);
      assert.equal(await client.resource('/5/0', '1'), 'http://example.com/fw-1.0.bin');
      const storedUds = async () => JSON.stringify((await mgmtObjs(proxy, node.slice(1))).get('firmware')?.uds);
      const before = await storedUds();
      const update = await oneM2M(proxy, 'PUT', `${node}/firmware`, wrap('firmware', { ud: true }));
      assert.equal(update.rsc, 2004, update.dbg);
      assert.deepEqual(update.body.uds, { acn: 'ud', sus: 3 }, 'answered when the client accepted the Execute');
      // the client has no State / Update Result to follow: uds goes back to what it was
      await eventually(async () => ((await storedUds()) === before ? true : undefined), 30_000, `uds back to ${before}`);
    });
  });
});

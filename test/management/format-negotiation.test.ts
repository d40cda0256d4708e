import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContentFormat } from '../../src/lwm2m/formats/index.js';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { attachDevice, oneM2M, startProxy, wrap } from './managed-devices.js';

describe('content format negotiation with the device', () => {
  let proxy: TestProxy;

  before(async () => {
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.stop(true);
  });

  async function acceptsOfRead(options: Parameters<typeof attachDevice>[1], rn = 'deviceInfo') {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false, ...options });
    try {
      const first = await oneM2M(proxy, 'GET', `${node}/${rn}`);
      const firstAccepts = device.requests.map((request) => request.accept);
      const from = device.requests.length;
      const second = await oneM2M(proxy, 'GET', `${node}/${rn}`);
      return { first, second, firstAccepts, secondAccepts: device.requests.slice(from).map((request) => request.accept), paths: device.requests.map((r) => r.path) };
    } finally {
      device.close();
    }
  }

  it('asks a 1.0 client for TLV', async () => {
    const { first, firstAccepts } = await acceptsOfRead({ version: '1.0' });
    assert.equal(first.rsc, 2000);
    assert.equal(first.body.man, 'Simulated Devices Ltd');
    assert.deepEqual(firstAccepts, [ContentFormat.TLV]);
  });

  it("asks first for the client's ct= preference (SenML JSON)", async () => {
    const { first, firstAccepts } = await acceptsOfRead({ preferredFormat: ContentFormat.SENML_JSON });
    assert.equal(first.rsc, 2000);
    assert.deepEqual(firstAccepts, [ContentFormat.SENML_JSON]);
  });

  it('moves to the next format on 4.06 and remembers the one that worked', async () => {
    const formats = [ContentFormat.TEXT, ContentFormat.OPAQUE, ContentFormat.TLV];
    const { first, second, firstAccepts, secondAccepts } = await acceptsOfRead({ version: '1.1', formats });
    assert.equal(first.rsc, 2000);
    assert.equal(first.body.mod, 'SIM-LWM2M-1');
    assert.deepEqual(firstAccepts, [ContentFormat.SENML_CBOR, ContentFormat.SENML_JSON, ContentFormat.TLV]);
    assert.equal(second.rsc, 2000);
    assert.deepEqual(secondAccepts, [ContentFormat.TLV]);
  });

  it('keeps the alternate root path in objectPaths and in every request', async () => {
    const { device, node } = await attachDevice(proxy, { autoUpdate: false, rootPath: '/lwm2m' });
    try {
      const read = await oneM2M(proxy, 'GET', `${node}/battery`);
      assert.equal(read.rsc, 2000);
      assert.deepEqual(read.body.obps, ['/lwm2m/3/0']);
      const created = await oneM2M(proxy, 'POST', node, wrap('software', { mgd: 1002, rn: 'software-1', swn: 'b', vr: '1', url: 'sim:b' }), {
        'Content-Type': 'application/json;ty=13',
      });
      assert.equal(created.rsc, 2001);
      assert.deepEqual(created.body.obps, ['/lwm2m/9/1']);
      assert.deepEqual(device.requests.map((request) => `${request.method} ${request.path}`), ['GET /lwm2m/3/0', 'POST /lwm2m/9', 'GET /lwm2m/9/1']);
    } finally {
      device.close();
    }
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ContentFormat, decodeContent } from '../../src/lwm2m/formats/index.js';
import type { ResourceValue } from '../../src/lwm2m/formats/model.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { downlink, withSimulatedDevice } from './test-peer.js';

const { TEXT, OPAQUE, TLV, SENML_JSON, SENML_CBOR, LINK_FORMAT } = ContentFormat;

/** Values keyed by path, without Current Time (it ticks between two reads). */
function byPath(values: ResourceValue[]): Map<string, unknown> {
  return new Map(values.filter(({ path }) => path.join('/') !== '3/0/13').map(({ path, value }) => ['/' + path.join('/'), value]));
}

describe('simulated device: Read and Discover', () => {
  it('reads the Device instance in TLV, SenML JSON and SenML CBOR with the same values', () =>
    withSimulatedDevice({ endpoint: 'reader', resources: { '/3/0/9': 100 } }, async (device) => {
      const decoded = [];
      for (const accept of [TLV, SENML_JSON, SENML_CBOR]) {
        const answer = await downlink(device.address(), { method: 'GET', path: '/3/0', accept });
        assert.equal(answer.code, '2.05');
        assert.equal(answer.contentFormat, accept);
        decoded.push(byPath(decodeContent(accept, answer.payload, [3, 0], resourceType)));
      }
      assert.deepEqual(decoded[1], decoded[0]);
      assert.deepEqual(decoded[2], decoded[0]);
      assert.equal(decoded[0].get('/3/0/0'), 'Simulated Devices Ltd');
      assert.equal(decoded[0].get('/3/0/9'), 100);
      assert.equal(decoded[0].get('/3/0/6/1'), 5);
      assert.equal(decoded[0].has('/3/0/4'), false, 'executable resources are not read');
    }));

  it('answers multi-value reads without Accept in its preferred format: TLV for 1.0, SenML CBOR for 1.1, ct= when given', async () => {
    for (const [options, format] of [
      [{ version: '1.0' as const }, TLV],
      [{ version: '1.1' as const }, SENML_CBOR],
      [{ version: '1.2' as const, preferredFormat: SENML_JSON }, SENML_JSON],
    ] as const) {
      await withSimulatedDevice({ endpoint: 'preferring', ...options }, async (device) => {
        const answer = await downlink(device.address(), { method: 'GET', path: '/4/0' });
        assert.equal(answer.contentFormat, format, JSON.stringify(options));
        assert.equal(decodeContent(format, answer.payload, [4, 0], resourceType).find((value) => value.path.join('/') === '4/0/2')?.value, -87);
      });
    }
  });

  it('reads single resources as text or opaque, an object with all its instances, and resource instances', () =>
    withSimulatedDevice({ endpoint: 'single', objects: ['/3/0', '/9/0', '/9/4', '/20/0'] }, async (device) => {
      const text = await downlink(device.address(), { method: 'GET', path: '/3/0/1' });
      assert.deepEqual([text.code, text.contentFormat, text.payload.toString()], ['2.05', TEXT, 'SIM-LWM2M-1']);
      const opaque = await downlink(device.address(), { method: 'GET', path: '/20/0/4014' });
      assert.deepEqual([opaque.code, opaque.contentFormat], ['2.05', OPAQUE]);
      const instance = await downlink(device.address(), { method: 'GET', path: '/3/0/6/1', accept: TEXT });
      assert.equal(instance.payload.toString(), '5');
      const object = await downlink(device.address(), { method: 'GET', path: '/9', accept: TLV });
      const instances = new Set(decodeContent(TLV, object.payload, [9], resourceType).map(({ path }) => path[1]));
      assert.deepEqual([...instances], [0, 4]);
    }));

  it('refuses reads with the codes of the LwM2M tables', () =>
    withSimulatedDevice({ endpoint: 'refusing', version: '1.0' }, async (device) => {
      const cases: Array<[string, number | undefined, string]> = [
        ['/3/0/6', TEXT, '4.06'], // several values as text
        ['/3/0', TEXT, '4.06'],
        ['/3/0/0', OPAQUE, '4.06'], // a string as opaque
        ['/20/0/4014', TEXT, '4.06'], // opaque data as text
        ['/3/0', SENML_JSON, '4.06'], // a 1.0 client without SenML
        ['/3/0', 9999, '4.06'],
        ['/3/0/4', undefined, '4.05'], // executable
        ['/5/0/0', undefined, '4.05'], // write-only
        ['/0/0', TLV, '4.01'], // Security is not for DM servers
        ['/3/0/99', undefined, '4.04'],
        ['/3/1', undefined, '4.04'],
        ['/77', undefined, '4.04'],
        ['/3/0/6/9', undefined, '4.04'],
        ['/3/x', undefined, '4.04'],
        ['/3/0/0/0/0', undefined, '4.04'],
        ['/', undefined, '4.05'],
      ];
      for (const [path, accept, code] of cases) {
        assert.equal((await downlink(device.address(), { method: 'GET', path, accept })).code, code, `${path} accept ${accept}`);
      }
    }));

  it('survives garbage datagrams and keeps answering', () =>
    withSimulatedDevice({ endpoint: 'robust' }, async (device) => {
      const socket = dgram.createSocket('udp4');
      const garbage = [
        Buffer.from([0x40]), // shorter than a CoAP header
        Buffer.from([0x40, 0x01, 0x00]),
        Buffer.from([0x48, 0x01, 0x00, 0x01, 0xaa]), // token length 8, token missing
        Buffer.from([0x40, 0x01, 0x00, 0x02, 0xf1, 0x00]), // option delta 15 is reserved
        Buffer.from([0x40, 0x01, 0x00, 0x03, 0xb3, 0x33]), // Uri-Path of 3 bytes, 1 present
        Buffer.from([0x40, 0x01, 0x00, 0x05, 0xd3, 0x04, 0x01, 0x02, 0x03]), // GET with a 3-byte Accept
        Buffer.alloc(2000, 0xff),
      ];
      for (const datagram of garbage) {
        await new Promise<void>((resolve, reject) => socket.send(datagram, device.address().port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
      }
      socket.close();
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0/17' })).payload.toString(), 'sensor');
    }));

  it('answers a real CoAP client (libcoap coap-client)', () =>
    withSimulatedDevice({ endpoint: 'libcoap' }, async (device) => {
      const { stdout } = await promisify(execFile)('coap-client-notls', ['-m', 'get', '-B', '3', `coap://127.0.0.1:${device.address().port}/3/0/17`]);
      assert.equal(stdout.trim(), 'sensor');
    }));

  it('discovers objects, instances and resources with dim and written attributes', () =>
    withSimulatedDevice({ endpoint: 'discoverer', objects: ['/3/0', '/15/0', '/15/1'] }, async (device) => {
      const instance = await downlink(device.address(), { method: 'GET', path: '/3/0', accept: LINK_FORMAT });
      assert.equal(instance.contentFormat, LINK_FORMAT);
      const links = instance.payload.toString().split(',');
      assert.equal(links[0], '</3/0>');
      assert.ok(links.includes('</3/0/4>'), 'executables are discovered');
      assert.ok(links.includes('</3/0/6>;dim=2'));
      const object = await downlink(device.address(), { method: 'GET', path: '/15', accept: LINK_FORMAT });
      assert.match(object.payload.toString(), /^<\/15>,<\/15\/0>,<\/15\/0\/0>,.*<\/15\/1>,<\/15\/1\/0>/);
      const written = await downlink(device.address(), { method: 'PUT', path: '/3/0/9', query: ['pmin=10', 'pmax=60'] });
      assert.equal(written.code, '2.04');
      const resource = await downlink(device.address(), { method: 'GET', path: '/3/0/9', accept: LINK_FORMAT });
      assert.equal(resource.payload.toString(), '</3/0/9>;pmin=10;pmax=60');
      assert.equal((await downlink(device.address(), { method: 'PUT', path: '/3/0/9', query: ['color=red'] })).code, '4.00');
      assert.equal((await downlink(device.address(), { method: 'PUT', path: '/3/0/9', query: ['pmin=soon'] })).code, '4.00');
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/7', accept: LINK_FORMAT })).code, '4.04');
    }));

  it('serves every Device Management path below its alternate root path', () =>
    withSimulatedDevice({ endpoint: 'rooted', rootPath: '/lwm2m' }, async (device) => {
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/lwm2m/3/0/17' })).payload.toString(), 'sensor');
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0/17' })).code, '4.04');
      const discover = await downlink(device.address(), { method: 'GET', path: '/lwm2m/3/0/17', accept: LINK_FORMAT });
      assert.equal(discover.payload.toString(), '</lwm2m/3/0/17>');
    }));
});

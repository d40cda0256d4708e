import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContentFormat, decodeContent, encodeContent } from '../../src/lwm2m/formats/index.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { downlink, eventually, startTestPeer, withSimulatedDevice, type TestPeer } from './test-peer.js';

const { TEXT, OPAQUE, TLV, SENML_JSON, SENML_CBOR } = ContentFormat;

describe('simulated device: Write, Execute, Create and Delete', () => {
  it('writes single resources in text and updates an instance partially in SenML', () =>
    withSimulatedDevice({ endpoint: 'writer' }, async (device) => {
      const address = device.address();
      assert.equal((await downlink(address, { method: 'PUT', path: '/3/0/13', contentFormat: TEXT, payload: '1700000000' })).code, '2.04');
      const clock = Number((await downlink(address, { method: 'GET', path: '/3/0/13' })).payload.toString());
      assert.ok(clock >= 1700000000 && clock < 1700000010, `clock ${clock}`);
      const senml = encodeContent(SENML_JSON, [{ path: [3, 0, 14], value: '+02:00' }, { path: [3, 0, 15], value: 'Europe/Paris' }], [3, 0], resourceType);
      assert.equal((await downlink(address, { method: 'POST', path: '/3/0', contentFormat: SENML_JSON, payload: senml })).code, '2.04');
      assert.equal(device.value('/3/0/14'), '+02:00');
      assert.equal(device.value('/3/0/15'), 'Europe/Paris');
      assert.equal(device.value('/3/0/0'), 'Simulated Devices Ltd', 'a partial update leaves the rest alone');
      const cbor = encodeContent(SENML_CBOR, [{ path: [20, 0, 4010], value: 3 }], [20, 0, 4010], resourceType);
      assert.equal((await downlink(address, { method: 'PUT', path: '/20/0/4010', contentFormat: SENML_CBOR, payload: cbor })).code, '2.04');
      assert.equal(device.value('/20/0/4010'), 3);
    }));

  it('refuses writes with the codes of the LwM2M tables', () =>
    withSimulatedDevice({ endpoint: 'write-refuser', version: '1.0' }, async (device) => {
      const cases: Array<[Parameters<typeof downlink>[1], string]> = [
        [{ method: 'PUT', path: '/3/0/0', contentFormat: TEXT, payload: 'Evil Corp' }, '4.05'], // read-only
        [{ method: 'PUT', path: '/3/0/4', contentFormat: TEXT, payload: '1' }, '4.05'], // executable
        [{ method: 'PUT', path: '/3/0/13', contentFormat: TEXT, payload: 'yesterday' }, '4.00'], // not a time
        [{ method: 'PUT', path: '/3/0/14', contentFormat: TLV, payload: Buffer.from([0xc8, 0x0e, 0x14, 0x41]) }, '4.00'], // truncated TLV
        [{ method: 'PUT', path: '/3/0/14', contentFormat: SENML_JSON, payload: '[{"n":"14","vs":"x"}]' }, '4.15'], // 1.0 client: no SenML
        [{ method: 'PUT', path: '/3/0/14', payload: '+01:00' }, '4.00'], // no Content-Format
        [{ method: 'PUT', path: '/3/0/99', contentFormat: TEXT, payload: '1' }, '4.04'],
        [{ method: 'PUT', path: '/3/5/14', contentFormat: TEXT, payload: '+01:00' }, '4.04'],
        [{ method: 'PUT', path: '/3', contentFormat: TLV, payload: Buffer.alloc(0) }, '4.05'],
        [{ method: 'PUT', path: '/0/0/0', contentFormat: TEXT, payload: 'coap://evil' }, '4.01'],
        [{ method: 'PUT', path: '/3/0/14', contentFormat: TLV, payload: encodeContent(TLV, [{ path: [3, 0, 15], value: 'UTC' }], [3, 0], resourceType) }, '4.00'], // value outside the target
      ];
      for (const [request, code] of cases) {
        assert.equal((await downlink(device.address(), request)).code, code, `${request.method} ${request.path}`);
      }
      assert.equal(device.value('/3/0/0'), 'Simulated Devices Ltd');
    }));

  it('executes executable resources and refuses the others', () =>
    withSimulatedDevice({ endpoint: 'executor' }, async (device) => {
      const address = device.address();
      assert.equal((await downlink(address, { method: 'POST', path: '/15/0/6' })).code, '2.04');
      assert.equal(device.value('/15/0/4'), false);
      assert.equal((await downlink(address, { method: 'POST', path: '/15/0/5' })).code, '2.04');
      assert.equal(device.value('/15/0/4'), true);
      assert.equal((await downlink(address, { method: 'POST', path: '/3/0/0' })).code, '4.05');
      assert.equal((await downlink(address, { method: 'POST', path: '/3/0/99' })).code, '4.04');
      assert.equal((await downlink(address, { method: 'POST', path: '/15/9/5' })).code, '4.04');
      assert.equal((await downlink(address, { method: 'POST', path: '/3/0/6/0' })).code, '4.05');
    }));

  it('runs the event log: LogStart collects, LogStop keeps the data', () =>
    withSimulatedDevice({ endpoint: 'logger' }, async (device) => {
      const address = device.address();
      assert.equal(device.value('/20/0/4013'), 1); // stopped, no data
      assert.equal((await downlink(address, { method: 'POST', path: '/20/0/4011' })).code, '2.04');
      assert.equal(Number((await downlink(address, { method: 'GET', path: '/20/0/4013' })).payload.toString()), 2); // running, data valid
      assert.equal((await downlink(address, { method: 'POST', path: '/20/0/4012' })).code, '2.04');
      assert.equal(device.value('/20/0/4013'), 3); // stopped, data valid
      const data = await downlink(address, { method: 'GET', path: '/20/0/4014' });
      assert.equal(data.contentFormat, OPAQUE);
      assert.match(data.payload.toString(), /log started, class 0/); // LogClass 0 generic, the object's default
    }));

  describe('Create and Delete', () => {
    let server: TestPeer;
    before(async () => {
      server = await startTestPeer();
    });
    after(() => server.close());

    it('creates an instance from resources only (device picks the ID) and announces it with an Update', () =>
      withSimulatedDevice({ endpoint: 'creator', server: { host: server.host, port: server.port } }, async (device) => {
        await device.register();
        const payload = encodeContent(TLV, [{ path: [9, 1, 0], value: 'new-app' }, { path: [9, 1, 1], value: '0.1' }], [9, 1], resourceType);
        const resourcesOnly = payload; // resource TLVs without an object-instance TLV
        const created = await downlink(device.address(), { method: 'POST', path: '/9', contentFormat: TLV, payload: resourcesOnly });
        assert.equal(created.code, '2.01');
        assert.deepEqual(created.locationPath, ['9', '1']);
        assert.equal(device.value('/9/1/0'), 'new-app');
        assert.equal(device.value('/9/1/7'), 0, 'a new instance starts INITIAL');
        await eventually(() => assert.match(server.received.at(-1)!.payload.toString(), /<\/9\/1>/));
        assert.equal(server.received.at(-1)!.path, device.location);
        const deleted = await downlink(device.address(), { method: 'DELETE', path: '/9/1' });
        assert.equal(deleted.code, '2.02');
        assert.deepEqual(device.instances().filter((path) => path.startsWith('/9/')), ['/9/0']);
        await eventually(() => assert.doesNotMatch(server.received.at(-1)!.payload.toString(), /<\/9\/1>/));
      }));

    it('creates an instance with the ID the payload names (TLV object instance, SenML name)', () =>
      withSimulatedDevice({ endpoint: 'named' }, async (device) => {
        const tlv = encodeContent(TLV, [{ path: [15, 5, 0], value: 'humidity' }], [15], resourceType);
        const created = await downlink(device.address(), { method: 'POST', path: '/15', contentFormat: TLV, payload: tlv });
        assert.deepEqual([created.code, created.locationPath], ['2.01', ['15', '5']]);
        assert.equal(device.value('/15/5/0'), 'humidity');
        const senml = encodeContent(SENML_JSON, [{ path: [20, 3, 4010], value: 2 }], [20], resourceType);
        const log = await downlink(device.address(), { method: 'POST', path: '/20', contentFormat: SENML_JSON, payload: senml });
        assert.deepEqual([log.code, log.locationPath], ['2.01', ['20', '3']]);
        const read = await downlink(device.address(), { method: 'GET', path: '/20/3', accept: SENML_JSON });
        assert.ok(decodeContent(SENML_JSON, read.payload, [20, 3], resourceType).some(({ path, value }) => path[2] === 4010 && value === 2));
      }));

    it('refuses Create and Delete with the codes of the LwM2M tables', () =>
      withSimulatedDevice({ endpoint: 'create-refuser', autoUpdate: false }, async (device) => {
        const existing = encodeContent(TLV, [{ path: [9, 0, 0], value: 'dup' }], [9], resourceType);
        const cases: Array<[Parameters<typeof downlink>[1], string]> = [
          [{ method: 'POST', path: '/9', contentFormat: TLV, payload: existing }, '4.00'], // already exists
          [{ method: 'POST', path: '/9', contentFormat: TLV, payload: Buffer.from([0x08, 0x01, 0x05]) }, '4.00'], // truncated
          [{ method: 'POST', path: '/9', contentFormat: TLV, payload: encodeContent(TLV, [{ path: [9, 2, 4000], value: 1 }], [9, 2], () => 'integer') }, '4.00'], // unknown resource
          [{ method: 'POST', path: '/3', contentFormat: TLV, payload: Buffer.alloc(0) }, '4.05'], // single-instance object
          [{ method: 'POST', path: '/77', contentFormat: TLV, payload: Buffer.alloc(0) }, '4.04'],
          [{ method: 'DELETE', path: '/3/0' }, '4.05'],
          [{ method: 'DELETE', path: '/5/0' }, '4.05'],
          [{ method: 'DELETE', path: '/9' }, '4.05'],
          [{ method: 'DELETE', path: '/9/0/0' }, '4.05'],
          [{ method: 'DELETE', path: '/9/8' }, '4.04'],
          [{ method: 'DELETE', path: '/77/0' }, '4.04'],
          [{ method: 'DELETE', path: '/0/0' }, '4.01'],
        ];
        for (const [request, code] of cases) {
          assert.equal((await downlink(device.address(), request)).code, code, `${request.method} ${request.path}`);
        }
        assert.deepEqual(device.instances(), ['/1/0', '/3/0', '/4/0', '/5/0', '/9/0', '/15/0', '/20/0']);
      }));
  });
});

import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { ContentFormat, decodeContent } from '../../src/lwm2m/formats/index.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';
import { SimTimeoutError, startSimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { downlink, eventually, startTestPeer, withSimulatedDevice, type TestPeer } from './test-peer.js';

const { TEXT, TLV, SENML_JSON, SENML_CBOR, LINK_FORMAT } = ContentFormat;
const SHORT = 300; // ms: long enough for a loopback answer, short enough for "never answered"

describe('simulated device: quirks and faults', () => {
  it('forces codes with answerWith for a path or a predicate, as many times as asked', () =>
    withSimulatedDevice({ endpoint: 'forced' }, async (device) => {
      const address = device.address();
      device.answerWith('/3/0/9', '5.00');
      device.answerWith((request) => request.method === 'DELETE', '4.01', { times: 2 });
      device.answerWith('/5/0/3', '2.05', { payload: Buffer.from('9'), contentFormat: TEXT, times: Infinity });
      assert.equal((await downlink(address, { method: 'GET', path: '/3/0/9' })).code, '5.00');
      assert.equal((await downlink(address, { method: 'GET', path: '/3/0/9' })).code, '2.05');
      assert.equal((await downlink(address, { method: 'DELETE', path: '/9/0' })).code, '4.01');
      assert.equal((await downlink(address, { method: 'DELETE', path: '/9/0' })).code, '4.01');
      assert.equal((await downlink(address, { method: 'DELETE', path: '/9/0' })).code, '2.02');
      for (let i = 0; i < 3; i++) assert.equal((await downlink(address, { method: 'GET', path: '/5/0/3' })).payload.toString(), '9');
      device.clearFaults();
      assert.equal((await downlink(address, { method: 'GET', path: '/5/0/3' })).payload.toString(), '0');
      assert.deepEqual(device.requests.map((request) => request.method), ['GET', 'GET', 'DELETE', 'DELETE', 'DELETE', 'GET', 'GET', 'GET', 'GET']);
      assert.deepEqual(device.requests[0], { method: 'GET', path: '/3/0/9', query: [], accept: undefined, contentFormat: undefined, payload: Buffer.alloc(0), at: device.requests[0].at, from: device.requests[0].from, observe: undefined, token: device.requests[0].token });
      assert.equal(device.requests[0].from.address, '127.0.0.1');
    }));

  it('a message that is no request (a late CON 2.05, an empty ACK or NON) is not taken for one', () =>
    withSimulatedDevice({ endpoint: 'strays' }, async (device) => {
      const address = device.address();
      const socket = createSocket('udp4');
      try {
        const lateResponse = Buffer.from([0x41, 0x45, 0x12, 0x34, 0xaa, 0xff, 0x31]); // CON 2.05, token aa, payload "1"
        const emptyAck = Buffer.from([0x60, 0x00, 0x12, 0x35]);
        const nonEmpty = Buffer.from([0x50, 0x00, 0x12, 0x36]);
        for (const datagram of [lateResponse, emptyAck, nonEmpty]) await new Promise<void>((resolve, reject) => socket.send(datagram, address.port, address.address, (error) => (error ? reject(error) : resolve())));
        // a request after them on the loopback: once it is answered, the datagrams before it were handled
        assert.equal((await downlink(address, { method: 'GET', path: '/3/0/9' })).code, '2.05');
        assert.deepEqual(device.requests.map((request) => [request.method, request.path]), [['GET', '/3/0/9']]);
      } finally {
        socket.close();
      }
    }));

  it('loses request datagrams on dropRequests and when silent', async () => {
    await withSimulatedDevice({ endpoint: 'lossy' }, async (device) => {
      device.dropRequests(1);
      await assert.rejects(downlink(device.address(), { method: 'GET', path: '/3/0/9' }, SHORT), /timeout/);
      assert.equal(device.droppedRequests, 1);
      assert.equal(device.requests.length, 0);
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0/9' })).code, '2.05');
    });
    await withSimulatedDevice({ endpoint: 'mute', quirks: { silent: true } }, async (device) => {
      await assert.rejects(downlink(device.address(), { method: 'GET', path: '/3/0/9' }, SHORT), /timeout/);
      device.quirks.silent = false;
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0/9' })).code, '2.05');
    });
  });

  it('sends payloads that do not decode in the announced format when garbagePayload is on', () =>
    withSimulatedDevice({ endpoint: 'garbage', quirks: { garbagePayload: true } }, async (device) => {
      for (const accept of [TLV, SENML_JSON, SENML_CBOR]) {
        const answer = await downlink(device.address(), { method: 'GET', path: '/3/0', accept });
        assert.deepEqual([answer.code, answer.contentFormat], ['2.05', accept]);
        assert.throws(() => decodeContent(accept, answer.payload, [3, 0], resourceType));
      }
      const text = await downlink(device.address(), { method: 'GET', path: '/3/0/9' });
      assert.throws(() => decodeContent(TEXT, text.payload, [3, 0, 9], resourceType));
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0', accept: LINK_FORMAT })).payload.toString(), '</3/0,</3/0/');
    }));

  it('answers single resources in TLV like Wakaama', () =>
    withSimulatedDevice({ endpoint: 'wakaama', version: '1.0', resources: { '/3/0/9': 100 }, quirks: { wakaamaStyle: true } }, async (device) => {
      const answer = await downlink(device.address(), { method: 'GET', path: '/3/0/9' });
      assert.equal(answer.contentFormat, TLV);
      assert.deepEqual(answer.payload, Buffer.from([0xc1, 0x09, 0x64])); // reference §6.2 capture
      assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0/9', accept: TEXT })).payload.toString(), '100');
    }));

  it('answers only single-resource text requests, without Content-Format, like lwm2m-node-lib', () =>
    withSimulatedDevice({ endpoint: 'node-lib', version: null, quirks: { textOnly: true } }, async (device) => {
      const address = device.address();
      const text = await downlink(address, { method: 'GET', path: '/3/0/0' });
      assert.deepEqual([text.code, text.contentFormat, text.payload.toString()], ['2.05', undefined, 'Simulated Devices Ltd']);
      await assert.rejects(downlink(address, { method: 'GET', path: '/3/0', accept: TLV }, SHORT), /timeout/);
      await assert.rejects(downlink(address, { method: 'GET', path: '/3/0' }, SHORT), /timeout/);
      await assert.rejects(downlink(address, { method: 'GET', path: '/3/0/6' }, SHORT), /timeout/);
      await assert.rejects(downlink(address, { method: 'GET', path: '/3/0/9', accept: TLV }, SHORT), /timeout/);
      await assert.rejects(downlink(address, { method: 'PUT', path: '/3/0/14', contentFormat: TLV, payload: Buffer.from([0xc6, 0x0e, 0x2b, 0x30, 0x32, 0x3a, 0x30, 0x30]) }, SHORT), /timeout/);
      assert.equal((await downlink(address, { method: 'PUT', path: '/3/0/14', contentFormat: TEXT, payload: '+02:00' })).code, '2.04');
      assert.equal((await downlink(address, { method: 'POST', path: '/15/0/5' })).code, '2.04');
      assert.equal((await downlink(address, { method: 'GET', path: '/3/0/14', accept: LINK_FORMAT })).payload.toString(), '</3/0/14>');
    }));

  it('answers 5.00 when it cannot produce an answer', () =>
    withSimulatedDevice({ endpoint: 'broken' }, async (device) => {
      device.setValue('/3/0/9', 'not a number');
      const answer = await downlink(device.address(), { method: 'GET', path: '/3/0/9', accept: TLV });
      assert.equal(answer.code, '5.00');
      assert.ok(answer.payload.length > 0, 'with a diagnostic');
    }));

  it('rejects pending waits when it is closed', async () => {
    const device = await startSimulatedDevice({ endpoint: 'closing' });
    const waiting = device.waitForRequest('/3/0/9');
    device.close();
    await assert.rejects(waiting, /closed/);
    await assert.rejects(device.bootstrap({ host: '127.0.0.1', port: 9 }), /closed/);
  });

  describe('queue mode', () => {
    let server: TestPeer;
    before(async () => {
      server = await startTestPeer();
    });
    after(() => server.close());

    it('receives nothing while asleep and announces itself with an Update on wake', () =>
      withSimulatedDevice({ endpoint: 'sleeper', queueMode: true, server: { host: server.host, port: server.port } }, async (device) => {
        await device.register();
        device.sleep();
        await assert.rejects(downlink(device.address(), { method: 'GET', path: '/3/0/9' }, SHORT), /timeout/);
        assert.equal(device.requests.length, 0);
        const next = device.waitForRequest('/3/0/9');
        const woke = await device.wake();
        assert.equal(woke.code, '2.04');
        assert.equal(server.received.at(-1)!.path, device.location);
        assert.equal((await downlink(device.address(), { method: 'GET', path: '/3/0/9' })).code, '2.05');
        assert.equal((await next).method, 'GET');
        await assert.rejects(device.waitForRequest('/never', 50), SimTimeoutError);
      }));

    it('sends an Update when the server executes Registration Update Trigger', () =>
      withSimulatedDevice({ endpoint: 'triggered', server: { host: server.host, port: server.port } }, async (device) => {
        await device.register();
        const before = server.received.length;
        assert.equal((await downlink(device.address(), { method: 'POST', path: '/1/0/8' })).code, '2.04');
        await eventually(() => assert.equal(server.received.length, before + 1));
        assert.equal(server.received.at(-1)!.path, device.location);
      }));
  });
});

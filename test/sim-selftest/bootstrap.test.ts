import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimTimeoutError, startSimulatedDevice, type SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { downlink, startTestPeer, type CoapResponse, type PeerRequest, type TestPeer } from './test-peer.js';

const TLV = 11542;
const LINK = 40;

/** TLV resource with a value (type 11, 8-bit ID, 8-bit length). */
function tlvResource(id: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xc8, id, value.length]), value]);
}

function securityInstanceTlv(uri: string, shortServerId: number): Buffer {
  return Buffer.concat([
    tlvResource(0, Buffer.from(uri)),
    tlvResource(1, Buffer.from([0])), // not a bootstrap server
    tlvResource(2, Buffer.from([3])), // NoSec
    tlvResource(10, Buffer.from([shortServerId])),
  ]);
}

function serverInstanceTlv(shortServerId: number, lifetime: number): Buffer {
  return Buffer.concat([
    tlvResource(0, Buffer.from([shortServerId])),
    tlvResource(1, Buffer.from([lifetime >> 8, lifetime & 0xff])),
    tlvResource(6, Buffer.from([0])),
    tlvResource(7, Buffer.from('U')),
  ]);
}

type Step = Parameters<typeof downlink>[1];

/**
 * A Bootstrap Server that answers the Bootstrap-Request with `requestCode` and then sends `steps` to the
 * device one after the other; `answers` resolves with the device's answer to each step.
 */
async function bootstrapServer(steps: Step[], requestCode = '2.04'): Promise<TestPeer & { answers: Promise<CoapResponse[]> }> {
  let started: (request: PeerRequest) => void = () => undefined;
  const requested = new Promise<PeerRequest>((resolve) => (started = resolve));
  const peer = await startTestPeer((request) => {
    if (request.path === '/bs') setImmediate(() => started(request));
    return { code: request.path === '/bs' ? requestCode : '4.04' };
  });
  const answers = requested.then(async (request) => {
    const device = { address: '127.0.0.1', port: request.sourcePort };
    const results: CoapResponse[] = [];
    for (const step of steps) results.push(await downlink(device, step));
    return results;
  });
  return { ...peer, answers };
}

describe('simulated device: bootstrap interface', () => {
  let lwm2mServer: TestPeer;
  before(async () => {
    lwm2mServer = await startTestPeer();
  });
  after(() => lwm2mServer.close());

  async function withDevice(body: (device: SimulatedDevice) => Promise<void>, options: Partial<Parameters<typeof startSimulatedDevice>[0]> = {}): Promise<void> {
    const device = await startSimulatedDevice({ endpoint: 'bs-dev', ...options });
    try {
      await body(device);
    } finally {
      device.close();
    }
  }

  it('answers Discover, Delete, Write and Finish, then registers with the written server account', () =>
    withDevice(async (device) => {
      const serverUri = `coap://127.0.0.1:${lwm2mServer.port}`;
      const bs = await bootstrapServer([
        { method: 'GET', path: '/', accept: LINK },
        { method: 'DELETE', path: '/' },
        { method: 'GET', path: '/', accept: LINK },
        { method: 'PUT', path: '/0/1', contentFormat: TLV, payload: securityInstanceTlv(serverUri, 123) },
        { method: 'PUT', path: '/1/0', contentFormat: TLV, payload: serverInstanceTlv(123, 300) },
        { method: 'POST', path: '/bs' },
      ]);
      try {
        const outcome = await device.bootstrap({ host: bs.host, port: bs.port });
        const [discover, deleteAll, rediscover, writeSecurity, writeServer, finish] = await bs.answers;
        assert.equal(bs.received[0].method, 'POST');
        assert.deepEqual(bs.received[0].query, ['ep=bs-dev']);
        assert.equal(discover.code, '2.05');
        assert.equal(discover.contentFormat, LINK);
        assert.equal(
          discover.payload.toString(),
          `</>;lwm2m=1.1,</0/0>;uri=coap://127.0.0.1:${bs.port},</0/1>;ssid=101;uri=coap://127.0.0.1:5683,</1/0>;ssid=101,</3/0>,</4/0>,</5/0>,</9/0>,</15/0>,</20/0>`,
        );
        assert.equal(deleteAll.code, '2.02');
        assert.equal(rediscover.payload.toString(), `</>;lwm2m=1.1,</0/0>;uri=coap://127.0.0.1:${bs.port},</1>,</3/0>,</4>,</5>,</9>,</15>,</20>`);
        assert.equal(writeSecurity.code, '2.04');
        assert.equal(writeServer.code, '2.04');
        assert.equal(finish.code, '2.04');
        assert.deepEqual(outcome, {
          requestCode: '2.04',
          finishCode: '2.04',
          configuration: {
            security: [
              { instanceId: 0, serverUri: `coap://127.0.0.1:${bs.port}`, bootstrapServer: true, securityMode: 3, shortServerId: undefined },
              { instanceId: 1, serverUri, bootstrapServer: false, securityMode: 3, shortServerId: 123 },
            ],
            servers: [{ instanceId: 0, shortServerId: 123, lifetime: 300, binding: 'U' }],
          },
        });
        assert.equal((await device.register()).code, '2.01');
        assert.equal(lwm2mServer.received.at(-1)!.payload.toString(), '</1/0>,</3/0>,</4>,</5>,</9>,</15>,</20>');
      } finally {
        bs.close();
      }
    }));

  it('answers Finish with 4.06 when no Security and Server instance share a Short Server ID, and still takes Deletes', () =>
    withDevice(async (device) => {
      const bs = await bootstrapServer([
        { method: 'DELETE', path: '/' },
        { method: 'PUT', path: '/0/1', contentFormat: TLV, payload: securityInstanceTlv('coap://127.0.0.1:5683', 7) },
        { method: 'PUT', path: '/1/0', contentFormat: TLV, payload: serverInstanceTlv(8, 300) },
        { method: 'POST', path: '/bs' },
        { method: 'DELETE', path: '/0/1' },
      ]);
      try {
        const outcome = await device.bootstrap({ host: bs.host, port: bs.port });
        assert.equal(outcome.finishCode, '4.06');
        const answers = await bs.answers;
        assert.deepEqual(answers.map((answer) => answer.code), ['2.02', '2.04', '2.04', '4.06', '2.02']);
        assert.deepEqual(device.configuration().security.map((account) => account.instanceId), [0]);
      } finally {
        bs.close();
      }
    }));

  it('answers Finish with the forced code whatever the configuration', () =>
    withDevice(
      async (device) => {
        const bs = await bootstrapServer([{ method: 'POST', path: '/bs' }]);
        try {
          assert.equal((await device.bootstrap({ host: bs.host, port: bs.port })).finishCode, '4.06');
        } finally {
          bs.close();
        }
      },
      { finishAnswer: '4.06' },
    ));

  it('accepts a SenML JSON Bootstrap-Write and announces its preferred format with pct', () =>
    withDevice(
      async (device) => {
        const senml = JSON.stringify([
          { bn: '/1/0/', n: '0', v: 101 },
          { n: '1', v: 120 },
          { n: '7', vs: 'UQ' },
        ]);
        const bs = await bootstrapServer([
          { method: 'PUT', path: '/1/0', contentFormat: 110, payload: senml },
          { method: 'POST', path: '/bs' },
        ]);
        try {
          const outcome = await device.bootstrap({ host: bs.host, port: bs.port });
          assert.deepEqual(bs.received[0].query, ['ep=bs-dev', 'pct=110']);
          assert.equal(outcome.finishCode, '2.04');
          assert.deepEqual(outcome.configuration.servers, [{ instanceId: 0, shortServerId: 101, lifetime: 120, binding: 'UQ' }]);
        } finally {
          bs.close();
        }
      },
      { preferredFormat: 110 },
    ));

  it('refuses bad Bootstrap requests with the codes of seed 002', () =>
    withDevice(async (device) => {
      const bs = await bootstrapServer([
        { method: 'PUT', path: '/1/0', contentFormat: TLV, payload: Buffer.from([0xc8, 0x00, 0x14, 0x41]) },
        { method: 'PUT', path: '/1/0', contentFormat: 50, payload: '{}' },
        { method: 'PUT', path: '/1/0', payload: 'no format' },
        { method: 'PUT', path: '/1/x', contentFormat: TLV, payload: serverInstanceTlv(1, 1) },
        { method: 'DELETE', path: '/0/0' },
        { method: 'DELETE', path: '/3/0' },
        { method: 'DELETE', path: '/1/0/1' },
        { method: 'DELETE', path: '/777' },
        { method: 'GET', path: '/3/0' },
        { method: 'GET', path: '/1/0', accept: TLV },
        { method: 'POST', path: '/3/0/4' },
        { method: 'GET', path: '/bs' },
        { method: 'POST', path: '/bs' },
      ]);
      try {
        await device.bootstrap({ host: bs.host, port: bs.port });
        const codes = (await bs.answers).map((answer) => answer.code);
        assert.deepEqual(codes, ['4.00', '4.15', '4.00', '4.00', '4.00', '4.00', '4.00', '4.00', '4.00', '2.05', '4.05', '4.05', '2.04']);
        assert.ok(device.configuration().security.some((account) => account.bootstrapServer));
      } finally {
        bs.close();
      }
    }));

  it('reports a refused Bootstrap-Request without waiting for Finish', () =>
    withDevice(async (device) => {
      const bs = await bootstrapServer([], '4.00');
      try {
        const outcome = await device.bootstrap({ host: bs.host, port: bs.port });
        assert.equal(outcome.requestCode, '4.00');
        assert.equal(outcome.finishCode, undefined);
      } finally {
        bs.close();
      }
    }));

  it('rejects with SimTimeoutError when Bootstrap-Finish never comes', () =>
    withDevice(async (device) => {
      const bs = await bootstrapServer([]);
      try {
        await assert.rejects(device.bootstrap({ host: bs.host, port: bs.port }, { timeoutMs: 200 }), SimTimeoutError);
      } finally {
        bs.close();
      }
    }));
});

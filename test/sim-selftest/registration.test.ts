import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimTimeoutError, startSimulatedDevice, type SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { downlink, startTestPeer, type TestPeer } from './test-peer.js';

const DEFAULT_LINKS = '</1/0>,</3/0>,</4/0>,</5/0>,</9/0>,</15/0>,</20/0>';

describe('simulated device: registration interface', () => {
  let server: TestPeer;
  before(async () => {
    server = await startTestPeer();
  });
  after(() => server.close());

  async function withDevice(options: Omit<Parameters<typeof startSimulatedDevice>[0], 'server'>, body: (device: SimulatedDevice) => Promise<void>): Promise<void> {
    const device = await startSimulatedDevice({ server: { host: server.host, port: server.port }, ...options });
    try {
      await body(device);
    } finally {
      device.close();
    }
  }

  it('registers as a 1.1 client from its own port and keeps the location', () =>
    withDevice({ endpoint: 'reg-1.1' }, async (device) => {
      const result = await device.register();
      assert.equal(result.code, '2.01');
      const request = server.received.at(-1)!;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/rd');
      assert.deepEqual(request.query, ['ep=reg-1.1', 'lwm2m=1.1']);
      assert.equal(request.contentFormat, 40);
      assert.equal(request.payload.toString(), DEFAULT_LINKS);
      assert.equal(request.sourcePort, device.address().port);
      assert.equal(result.location, `/rd/r${device.address().port}`);
      assert.equal(device.location, result.location);
    }));

  it('announces queue mode as b=UQ in 1.0 and as Q from 1.1 on', async () => {
    await withDevice({ endpoint: 'q-1.0', version: '1.0', queueMode: true, lifetime: 300, sms: '+491700000' }, async (device) => {
      await device.register();
      assert.deepEqual(server.received.at(-1)!.query, ['ep=q-1.0', 'lt=300', 'lwm2m=1.0', 'b=UQ', 'sms=+491700000']);
    });
    await withDevice({ endpoint: 'q-1.2', version: '1.2', queueMode: true, binding: 'U' }, async (device) => {
      await device.register();
      assert.deepEqual(server.received.at(-1)!.query, ['ep=q-1.2', 'lwm2m=1.2', 'b=U', 'Q']);
    });
    await withDevice({ endpoint: 'no-version', version: null }, async (device) => {
      await device.register();
      assert.deepEqual(server.received.at(-1)!.query, ['ep=no-version']);
    });
  });

  it('announces an alternate root path and its preferred format on the root link', () =>
    withDevice({ endpoint: 'rooted', rootPath: '/lwm2m', preferredFormat: 110, objects: ['/1/0', '/3/0', '/6', '/9/0', '/9/3'] }, async (device) => {
      await device.register();
      assert.equal(server.received.at(-1)!.payload.toString(), '</lwm2m>;rt="oma.lwm2m";ct=110,</lwm2m/1/0>,</lwm2m/3/0>,</lwm2m/6>,</lwm2m/9/0>,</lwm2m/9/3>');
    }));

  it('sends Update with only the given parameters, the object list on request, and De-register', () =>
    withDevice({ endpoint: 'upd' }, async (device) => {
      const { location } = await device.register();
      const plain = await device.update();
      assert.equal(plain.code, '2.04');
      assert.deepEqual(server.received.at(-1), { method: 'POST', path: location, query: [], contentFormat: undefined, payload: Buffer.alloc(0), sourcePort: device.address().port });
      await device.update({ lifetime: 600, binding: 'UQ', sms: '+1', objects: true });
      const update = server.received.at(-1)!;
      assert.deepEqual(update.query, ['lt=600', 'b=UQ', 'sms=+1']);
      assert.equal(update.contentFormat, 40);
      assert.equal(update.payload.toString(), DEFAULT_LINKS);
      assert.equal((await device.deregister()).code, '2.02');
      assert.equal(server.received.at(-1)!.method, 'DELETE');
      assert.equal(server.received.at(-1)!.path, location);
      assert.equal(device.location, undefined);
      await assert.rejects(device.update(), /not registered/);
    }));

  it('sends hostile registrations as asked: raw query, raw payload, no Content-Format', () =>
    withDevice({ endpoint: 'bad&ep', extraQuery: ['ep=second', 'unknown=1'], registerPayload: '</3/0,<<<', linkContentFormat: null }, async (device) => {
      await device.register();
      const request = server.received.at(-1)!;
      assert.deepEqual(request.query, ['ep=bad&ep', 'lwm2m=1.1', 'ep=second', 'unknown=1']);
      assert.equal(request.payload.toString(), '</3/0,<<<');
      assert.equal(request.contentFormat, undefined);
    }));

  it('reports a refused Register without keeping a location', async () => {
    const refusing = await startTestPeer(() => ({ code: '4.12' }));
    const device = await startSimulatedDevice({ endpoint: 'too-new', version: '1.2', server: { host: refusing.host, port: refusing.port } });
    try {
      const result = await device.register();
      assert.equal(result.code, '4.12');
      assert.equal(result.location, undefined);
      assert.equal(device.location, undefined);
    } finally {
      device.close();
      refusing.close();
    }
  });

  it('rejects with SimTimeoutError when the server never answers', async () => {
    const silent = await startTestPeer(() => ({ code: 'none' }));
    silent.close(); // nothing listens on the port any more
    const device = await startSimulatedDevice({ endpoint: 'lonely', server: { host: silent.host, port: silent.port }, requestTimeoutMs: 300 });
    try {
      await assert.rejects(device.register(), SimTimeoutError);
    } finally {
      device.close();
    }
  });

  it('registers over IPv6', async () => {
    const server6 = await startTestPeer(undefined, 6);
    const device = await startSimulatedDevice({ endpoint: 'v6', family: 6, server: { host: '::1', port: server6.port } });
    try {
      assert.equal((await device.register()).code, '2.01');
      assert.equal(device.address().address, '::1');
      assert.equal(server6.received[0].sourcePort, device.address().port);
    } finally {
      device.close();
      server6.close();
    }
  });

  it('goes silent after Reboot, then registers again', () =>
    withDevice({ endpoint: 'rebooter', timing: { rebootMs: 150 } }, async (device) => {
      await device.register();
      const registrations = server.received.filter((request) => request.path === '/rd').length;
      const rebooted = new Promise((resolve) => device.once('rebooted', resolve));
      assert.equal((await downlink(device.address(), { method: 'POST', path: '/3/0/4' })).code, '2.04');
      await assert.rejects(downlink(device.address(), { method: 'POST', path: '/3/0/4' }, 100), /timeout/);
      assert.deepEqual(await rebooted, { code: '2.01', location: device.location, payload: Buffer.alloc(0) });
      assert.equal(server.received.filter((request) => request.path === '/rd').length, registrations + 1);
      assert.ok(device.droppedRequests >= 1);
    }));
});

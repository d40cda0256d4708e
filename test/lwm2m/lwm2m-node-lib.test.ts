import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { eventually, getJson, mgmtObjs, resource } from './helpers.js';

/** npm lwm2m-node-lib's client (coap 0.22, LwM2M 1.0, no Content-Format on Register) as a real peer. */

interface DeviceInformation {
  location: string;
  /** The client's own CoAP listener; Update starts a new one without closing the old. */
  serverInfo: { server: { close(): void } };
}

interface Lwm2mClientLib {
  init(config: unknown): void;
  registry: { create(uri: string, callback: (error: Error | null) => void): void };
  register(host: string, port: number, url: string | null, endpoint: string, callback: (error: Error | null, info: DeviceInformation) => void): void;
  update(info: DeviceInformation, callback: (error: Error | null, info: DeviceInformation) => void): void;
  unregister(info: DeviceInformation, callback: (error: Error | null) => void): void;
}

const require = createRequire(import.meta.url);

test('lwm2m-node-lib registers, updates and de-registers as an LwM2M 1.0 client', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const client = (require('lwm2m-node-lib') as { client: Lwm2mClientLib }).client;
  client.init({ logLevel: 'FATAL', client: { lifetime: '600', version: '1.0', logLevel: 'FATAL', observe: { period: 3000 }, ipProtocol: 'udp4', serverProtocol: 'udp4' } });
  for (const uri of ['/3/0', '/5/0']) await promisify(client.registry.create)(uri);

  const info = await promisify(client.register)('127.0.0.1', proxy.coapPort, null, 'node-lib-client');
  let registered = true;
  t.after(async () => {
    if (registered) await promisify(client.unregister)(info);
  });
  assert.match(info.location, /^rd\/[\w-]+$/);

  const { status, body } = await getJson(proxy, '/admin/lwm2m/registrations/node-lib-client');
  assert.equal(status, 200);
  assert.equal(body.version, '1.0');
  assert.equal(body.lifetime, 600);
  assert.deepEqual(body.objects, ['/3/0', '/5/0']);
  assert.equal(body.location, `/${info.location}`);
  assert.deepEqual([...(await mgmtObjs(proxy, 'proxy/node-lib-client')).keys()].sort(), ['battery', 'deviceInfo', 'firmware', 'memory', 'reboot']);

  const listenerBeforeUpdate = info.serverInfo;
  await promisify(client.update)(info);
  listenerBeforeUpdate.server.close();
  assert.equal((await getJson(proxy, '/admin/lwm2m/registrations/node-lib-client')).status, 200);

  await promisify(client.unregister)(info);
  registered = false;
  await eventually(async () => ((await getJson(proxy, '/admin/lwm2m/registrations/node-lib-client')).status === 404 ? true : undefined));
  assert.deepEqual((await resource(proxy, '/proxy/node-lib-client'))?.lbl, ['lwm2m', 'offline']);
});

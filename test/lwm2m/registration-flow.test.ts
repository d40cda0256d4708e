import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestProxy } from '../helpers/proxy-harness.js';
import { startSimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { getJson, mgmtObjs, resource } from './helpers.js';

test('a registered device appears as a node with its mgmtObjs, survives a restart and goes offline on De-register', async (t) => {
  const first = await startTestProxy();
  t.after(() => first.stop(true));
  const device = await startSimulatedDevice({
    endpoint: 'urn:imei:490154203237518',
    server: { host: '127.0.0.1', port: first.coapPort },
    lifetime: 300,
    objects: ['/1/0', '/3/0', '/4/0', '/5/0', '/9/0', '/9/3', '/15/2', '/20/0', '/3303/0', '/6'],
  });
  t.after(() => device.close());

  const registered = await device.register();
  assert.equal(registered.code, '2.01');
  assert.match(registered.location ?? '', /^\/rd\/[\w-]+$/);

  // Node name: endpoint without `urn:`, characters outside A-Za-z0-9._~:- replaced; ni keeps the exact name.
  const node = await resource(first, '/proxy/imei:490154203237518');
  assert.ok(node, 'the node exists');
  assert.equal(node.ni, 'urn:imei:490154203237518');
  assert.equal(node.mgca, `coap://127.0.0.1:${device.address().port}`);
  assert.deepEqual(node.lbl, ['lwm2m', 'online']);

  const objs = await mgmtObjs(first, 'proxy/imei:490154203237518');
  assert.deepEqual(
    [...objs.keys()].sort(),
    ['battery', 'deviceCapability-2', 'deviceInfo', 'eventLog-0', 'firmware', 'memory', 'mobileNetwork', 'reboot', 'software-0', 'software-3'],
  );
  assert.deepEqual(objs.get('firmware')?.obis, ['urn:oma:lwm2m:oma:5']);
  assert.deepEqual(objs.get('firmware')?.obps, ['/5/0']);
  assert.deepEqual(objs.get('software-3')?.obps, ['/9/3']);
  assert.deepEqual(objs.get('deviceInfo')?.obps, ['/3/0']);
  assert.deepEqual(objs.get('deviceCapability-2')?.obis, ['urn:oma:lwm2m:oma:15']);

  const listed = await getJson<Array<Record<string, unknown>>>(first, '/admin/lwm2m/registrations');
  assert.equal(listed.status, 200);
  const entry = listed.body.find((r) => r.endpoint === 'urn:imei:490154203237518');
  assert.ok(entry);
  assert.equal(entry.location, registered.location);
  assert.equal(entry.version, '1.1');
  assert.equal(entry.binding, 'U');
  assert.equal(entry.lifetime, 300);
  assert.equal(entry.address, `coap://127.0.0.1:${device.address().port}`);
  assert.ok((entry.objects as string[]).includes('/3303/0'), 'unmapped objects stay in the registration');
  assert.ok((entry.objects as string[]).includes('/6'), 'objects without instances stay in the registration');

  // Restart on the same data: a device that only sends Updates keeps working.
  await first.close();
  // The device still talks to the port it registered with.
  const second = await startTestProxy({ COAP_PORT: String(first.coapPort) }, first.dataDir);
  t.after(() => second.stop());
  assert.equal((await device.update({ lifetime: 600 })).code, '2.04');
  const afterRestart = await getJson(second, '/admin/lwm2m/registrations/urn%3Aimei%3A490154203237518');
  assert.equal(afterRestart.status, 200);
  assert.equal(afterRestart.body.lifetime, 600);
  assert.equal(afterRestart.body.location, registered.location);

  assert.equal((await device.deregister()).code, '2.02');
  const offline = await resource(second, '/proxy/imei:490154203237518');
  assert.deepEqual(offline?.lbl, ['lwm2m', 'offline']);
  assert.equal((await mgmtObjs(second, 'proxy/imei:490154203237518')).size, 10, 'mgmtObjs stay while offline');
  assert.equal((await getJson(second, '/admin/lwm2m/registrations/urn%3Aimei%3A490154203237518')).status, 404);
});

test('a registration that expired while the proxy was down is dropped at start and its node shows offline', async (t) => {
  const first = await startTestProxy({ REGISTRATION_GRACE_S: '0' });
  t.after(() => first.stop(true));
  const device = await startSimulatedDevice({ endpoint: 'urn:dev:napping', server: { host: '127.0.0.1', port: first.coapPort }, lifetime: 1, objects: ['/3/0'] });
  t.after(() => device.close());
  assert.equal((await device.register()).code, '2.01');
  await first.close();
  await new Promise((resolve) => setTimeout(resolve, 1100));

  const second = await startTestProxy({ REGISTRATION_GRACE_S: '0', COAP_PORT: String(first.coapPort) }, first.dataDir);
  t.after(() => second.stop());
  assert.equal((await getJson(second, '/admin/lwm2m/registrations/urn%3Adev%3Anapping')).status, 404);
  assert.deepEqual((await resource(second, '/proxy/dev:napping'))?.lbl, ['lwm2m', 'offline']);
  assert.equal((await device.update({ lifetime: 60 })).code, '4.04', 'its location is gone: the client must register again');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeXml } from '../../src/onem2m/binding/xml-codec.js';
import { mgmtObjSpecByRootKey } from '../../src/core/attribute-dictionary.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';

test('executable attributes read false in JSON and XML Retrieve answers, also after an executed Update, and a Retrieve executes nothing', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.stop(true));
  const { device, node } = await attachDevice(proxy, { autoUpdate: false });
  t.after(() => device.close());

  const listing = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
  assert.equal(listing.rsc, 2000);
  const withExecutables = Object.entries(listing.body)
    .map(([rootKey, children]) => ({ spec: mgmtObjSpecByRootKey(rootKey), children }))
    .filter(({ spec }) => spec !== undefined && spec.executables.length > 0);
  assert.ok(withExecutables.length >= 3, 'the device offers firmware, reboot and more');
  for (const { spec, children } of withExecutables) {
    for (const child of children as Array<Record<string, unknown>>) {
      for (const name of spec!.executables) assert.equal(child[name], false, `${spec!.rootKey} ${name} in the rcn=4 listing`);
    }
  }

  const rebootUpdate = await oneM2M(proxy, 'PUT', `${node}/reboot`, wrap('reboot', { rbo: true }));
  assert.equal(rebootUpdate.rsc, 2004);

  const before = device.requests.length;
  for (const type of ['firmware', 'reboot']) {
    const json = await oneM2M(proxy, 'GET', `${node}/${type}`);
    assert.equal(json.rsc, 2000);
    const xmlAnswer = await proxy.request('GET', `${node}/${type}`, { headers: { Accept: 'application/xml' } });
    assert.equal(xmlAnswer.headers.get('x-m2m-rsc'), '2000');
    const spec = withExecutables.find((entry) => entry.spec!.type === type)!.spec!;
    const xml = (await decodeXml(await xmlAnswer.text()))[spec.rootKey] as Record<string, unknown>;
    for (const name of spec.executables) {
      assert.equal(json.body[name], false, `${type} ${name} (JSON)`);
      assert.equal(xml[name], false, `${type} ${name} (XML)`);
    }
  }
  const partial = await oneM2M(proxy, 'GET', `${node}/reboot?rcn=1&atrl=rbo+far`);
  assert.equal(partial.rsc, 2000);
  assert.deepEqual(partial.body, { rbo: false, far: false });
  assert.ok(!sentSince(device, before).some((request) => request.startsWith('POST')), 'a Retrieve executes nothing on the device');
});

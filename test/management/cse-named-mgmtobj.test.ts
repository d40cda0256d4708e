/**
 * A `<mgmtObj>` a CSE creates under its own name survives the device's Registration Updates: the proxy recognises the
 * object instance it created by the mgmtObj's objectPaths, so the discovered list (which names that instance
 * `software-<n>`) neither deletes it nor adds a duplicate; it goes only when the instance is gone from the device.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { mgmtObjs } from '../lwm2m/helpers.js';
import { downlink } from '../sim-selftest/test-peer.js';
import type { SimulatedDevice } from '../sim/index.js';
import { attachDevice, oneM2M, startProxy, wrap } from './managed-devices.js';

const CREATE_MGMT_OBJ = { 'Content-Type': 'application/json;ty=13' };

describe('a CSE-named software mgmtObj on a simulated LwM2M device, across Registration Updates', () => {
  let proxy: TestProxy;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    // Updates only when the test sends them, so each step sees one known object list.
    ({ device, node } = await attachDevice(proxy, { autoUpdate: false }));
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  /** The node's software mgmtObjs as stored (rn → attributes). */
  async function software(): Promise<Map<string, Record<string, unknown>>> {
    const children = await mgmtObjs(proxy, node.slice(1));
    return new Map([...children].filter(([, attrs]) => attrs.mgd === 1002));
  }

  let created: Record<string, any>;
  let instance: string;

  it('the CSE creates `my-app`: the device gets a new /9 instance and the mgmtObj names it in obps', async () => {
    assert.deepEqual([...(await software()).keys()], ['software-0']);
    const answer = await oneM2M(proxy, 'POST', node, wrap('software', {
      mgd: 1002, rn: 'my-app', swn: 'my-app', vr: '3.1', url: 'coap://127.0.0.1/my-app', lbl: ['team-a'],
    }), CREATE_MGMT_OBJ);
    assert.equal(answer.rsc, 2001, answer.dbg);
    created = answer.body;
    assert.equal(created.rn, 'my-app');
    assert.equal(created.obps.length, 1);
    instance = created.obps[0];
    assert.match(instance, /^\/9\/[1-9]\d*$/);
    assert.ok(device.instances().includes(instance), `the device holds ${instance}`);
  });

  it('after a Registration Update listing that instance, `my-app` is still there with the same ri and no duplicate', async () => {
    const { code } = await device.update({ objects: true });
    assert.equal(code, '2.04');
    const afterUpdate = await software();
    assert.deepEqual([...afterUpdate.keys()].sort(), ['my-app', 'software-0']);
    assert.equal(afterUpdate.has(`software-${instance.split('/')[2]}`), false, 'no contract-named duplicate');
    const kept = afterUpdate.get('my-app')!;
    assert.equal(kept.ri, created.ri);
    assert.equal(kept.ct, created.ct);
    assert.deepEqual(kept.obps, [instance]);
    assert.deepEqual(kept.lbl, ['team-a']);
    assert.equal(kept.swn, 'my-app');

    const retrieved = await oneM2M(proxy, 'GET', `${node}/my-app`);
    assert.equal(retrieved.rsc, 2000, retrieved.dbg);
    assert.equal(retrieved.body.ri, created.ri);

    // and again: a second Update changes nothing
    assert.equal((await device.update({ objects: true })).code, '2.04');
    assert.deepEqual([...(await software()).keys()].sort(), ['my-app', 'software-0']);
  });

  it('once the device deleted the instance and updates, `my-app` is gone and software-0 stays', async () => {
    const removed = await downlink(device.address(), { method: 'DELETE', path: instance });
    assert.equal(removed.code, '2.02');
    assert.equal(device.instances().includes(instance), false);
    assert.equal((await device.update({ objects: true })).code, '2.04');
    assert.deepEqual([...(await software()).keys()], ['software-0']);
    assert.equal((await oneM2M(proxy, 'GET', `${node}/my-app`)).rsc, 4004);
  });
});

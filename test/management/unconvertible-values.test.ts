import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { mgmtObjs } from '../lwm2m/helpers.js';
import type { SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { attachDevice, oneM2M, startProxy } from './managed-devices.js';

/** Issue 8 point 7: every value the LwM2M object allows converts, and one that does not fails only its own attribute. */
describe('device values through the attribute converters, end to end over HTTP', () => {
  let proxy: TestProxy;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    ({ device, node } = await attachDevice(proxy, { autoUpdate: false }));
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  it('an event log with LogClass 0 (generic, the default of the object) reads as logTypeId 3 Event', async () => {
    assert.equal(device.value('/20/0/4010'), 0, 'the simulator presents the default LogClass');
    const answer = await oneM2M(proxy, 'GET', `${node}/eventLog-0`);
    assert.equal(answer.rsc, 2000, answer.dbg);
    assert.equal(answer.body.lgt, 3);
    assert.equal(answer.body.lgst, 2, 'LogStatus bit 0 set: stopped');
    assert.equal(answer.headers.get('x-m2m-cts'), null, 'a complete answer carries no Content Status');
  });

  it('every LogClass the object allows (0-255) converts; the classes shared with oneM2M keep their number', async () => {
    for (const [logClass, lgt] of [[1, 1], [5, 5], [6, 3], [42, 3], [100, 3], [255, 3]]) {
      device.setValue('/20/0/4010', logClass);
      const answer = await oneM2M(proxy, 'GET', `${node}/eventLog-0?atrl=lgt`);
      assert.equal(answer.rsc, 2000, `LogClass ${logClass}: ${answer.dbg}`);
      assert.equal(answer.body.lgt, lgt, `LogClass ${logClass}`);
    }
    device.setValue('/20/0/4010', 0);
  });

  it('one value that does not convert is left out, the others are answered and the response says what was left out', async () => {
    const battery = () => mgmtObjs(proxy, node.slice(1)).then((objects) => objects.get('battery'));
    assert.equal((await oneM2M(proxy, 'GET', `${node}/battery`)).rsc, 2000, 'a first read stores valid values');
    assert.equal((await battery())?.bts, 1);

    device.setValue('/3/0/20', 9); // Battery Status 0-6 only
    device.setValue('/3/0/9', 57);
    try {
      const answer = await oneM2M(proxy, 'GET', `${node}/battery`);
      assert.equal(answer.rsc, 2000, answer.dbg);
      assert.equal(answer.body.btl, 57, 'the battery level is answered');
      assert.equal('bts' in answer.body, false, 'the unconvertible status is left out, also its value from the earlier read');
      assert.equal(answer.headers.get('x-m2m-cts'), '1', 'Content Status PARTIAL_CONTENT');
      assert.match(answer.headers.get('x-m2m-vsi') ?? '', /left out: bts \(9 from resource 20 is no valid "bts"\)/);
      const stored = await battery();
      assert.equal(stored?.btl, 57, 'the converted value is stored');
      assert.equal(stored?.bts, 1, 'the garbage is not stored');

      const node4 = await oneM2M(proxy, 'GET', `${node}?rcn=4`);
      assert.equal(node4.rsc, 2000, node4.dbg);
      const children = node4.body['m2m:bat'] as Array<Record<string, unknown>>;
      assert.equal('bts' in children[0], false, 'rcn=4 leaves it out of the child too');
      assert.match(node4.headers.get('x-m2m-vsi') ?? '', /battery\/bts/);

      const only = await oneM2M(proxy, 'GET', `${node}/battery?atrl=bts`);
      assert.equal(only.rsc, 6025, 'nothing left to answer: the device sent garbage (mgmt adapter error)');
      assert.match(only.dbg ?? '', /bts/);
    } finally {
      device.setValue('/3/0/20', 0);
    }
  });
});

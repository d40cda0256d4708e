import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestProxy } from '../helpers/proxy-harness.js';
import { eventually, mgmtObjs } from '../lwm2m/helpers.js';
import type { SimulatedDevice } from '../../src/sim/lwm2m/index.js';
import { attachDevice, oneM2M, sentSince, startProxy, wrap } from './managed-devices.js';

const CREATE_MGMT_OBJ = { 'Content-Type': 'application/json;ty=13' };

describe('mgmtObj operations on a simulated LwM2M 1.1 device, through the oneM2M HTTP binding', () => {
  let proxy: TestProxy;
  let device: SimulatedDevice;
  let node: string;

  before(async () => {
    proxy = await startProxy();
    // no Update after Create/Delete: the tree keeps the names the tests give
    ({ device, node } = await attachDevice(proxy, { autoUpdate: false, timing: { downloadMs: 30, updateMs: 30 } }));
  });
  after(async () => {
    device.close();
    await proxy.stop(true);
  });

  let names = 0;
  const nextName = () => ++names;

  /** Runs a request and returns its answer with the CoAP requests the device received meanwhile. */
  async function exchange(method: string, path: string, content?: unknown) {
    const from = device.requests.length;
    const answer = await oneM2M(proxy, method, path, content, method === 'POST' ? CREATE_MGMT_OBJ : {});
    return { ...answer, sent: sentSince(device, from) };
  }

  /**
   * An Update that starts work the proxy follows (ud, in): answered when the device accepted it, then followed in the
   * background until the stored `status` attribute of the mgmtObj `rn` shows its end. `sent` is everything the device
   * received for it, the following included.
   */
  async function followedExchange(path: string, content: unknown, rn: string, status: string) {
    const from = device.requests.length;
    const answer = await oneM2M(proxy, 'PUT', path, content);
    const ended = await eventually(async () => {
      const sus = (((await mgmtObjs(proxy, node.slice(1))).get(rn)?.[status]) as { sus?: number } | undefined)?.sus;
      return sus === 1 || sus === 2 ? true : undefined;
    }, 30_000, `${rn}.${status} to end`);
    return { ...answer, ended, sent: sentSince(device, from) };
  }

  it('retrieves deviceInfo from one Read of /3/0 in SenML CBOR', async () => {
    const { rsc, body, sent } = await exchange('GET', `${node}/deviceInfo`);
    assert.equal(rsc, 2000);
    assert.deepEqual(sent, ['GET /3/0']);
    assert.equal(device.requests.at(-1)?.accept, 112);
    assert.equal(body.man, 'Simulated Devices Ltd');
    assert.equal(body.mod, 'SIM-LWM2M-1');
    assert.equal(body.fwv, '1.0.0');
    assert.equal(body.dty, 'sensor');
    assert.match(body.syst, /^\d{8}T\d{6}$/);
  });

  it('retrieves memory in bytes (device kB × 1000) and battery status + 1', async () => {
    device.setValue('/3/0/10', 42);
    device.setValue('/3/0/20', 3);
    const memory = await exchange('GET', `${node}/memory`);
    assert.equal(memory.rsc, 2000);
    assert.equal(memory.body.mma, 42_000);
    assert.equal(memory.body.mmt, 128_000);
    const battery = await exchange('GET', `${node}/battery`);
    assert.equal(battery.body.btl, 87);
    assert.equal(battery.body.bts, 4);
    const stored = await mgmtObjs(proxy, node.slice(1));
    assert.equal(stored.get('memory')?.mma, 42_000, 'values read are cached in the tree');
    assert.equal(stored.get('battery')?.bts, 4);
  });

  it('partial retrieve (atrl) reads just those resources, one GET each', async () => {
    const { rsc, body, sent } = await exchange('GET', `${node}/deviceInfo?atrl=man+hwv`);
    assert.equal(rsc, 2000);
    assert.deepEqual(sent, ['GET /3/0/0', 'GET /3/0/18']);
    assert.deepEqual(body, { man: 'Simulated Devices Ltd', hwv: 'HW-1.0' });
  });

  it('mobileNetwork: multiple resources become lists (of m2m:ipAddress), APN one string, resources the device lacks stay absent', async () => {
    const { rsc, body } = await exchange('GET', `${node}/mobileNetwork`);
    assert.equal(rsc, 2000);
    assert.equal(body.cnb, 6);
    assert.equal(body.rss, -87);
    assert.deepEqual(body.ipad, [{ ip4: '10.11.12.13' }, { ip6: '2001:db8:4::13' }]);
    assert.equal(body.apna, 'iot.example.net');
    assert.equal(device.value('/4/0/13'), undefined);
    assert.equal('coel' in body, false);
  });

  it('sets the firmware URL, uds shows the download finished, triggers the update, and uds moves to success', async () => {
    const write = await exchange('PUT', `${node}/firmware`, wrap('firmware', { url: 'sim:fw-1.1.bin' }));
    assert.equal(write.rsc, 2004);
    assert.deepEqual(write.sent, ['PUT /5/0/1']);
    assert.equal(device.value('/5/0/1'), 'sim:fw-1.1.bin');
    const downloaded = await eventually(async () => {
      const { body } = await exchange('GET', `${node}/firmware`);
      return body.uds?.sus === 1 ? body : undefined;
    });
    assert.deepEqual(downloaded.uds, { acn: 'url', sus: 1 }, 'downloaded, ready to update');
    assert.equal(device.value('/5/0/3'), 2);
    const update = await followedExchange(`${node}/firmware`, wrap('firmware', { ud: true }), 'firmware', 'uds');
    assert.equal(update.rsc, 2004);
    assert.deepEqual(update.body.uds, { acn: 'ud', sus: 3 }, 'answered when the device accepted the Execute: in process');
    // Execute, then State and Update Result observed (Write-Attributes first) until the end, cancelled (GET Observe=1), and /5/0 read again
    assert.deepEqual(update.sent, ['POST /5/0/2', 'PUT /5/0/3', 'GET /5/0/3', 'PUT /5/0/5', 'GET /5/0/5', 'GET /5/0/3', 'GET /5/0/5', 'GET /5/0']);
    assert.deepEqual(device.observations(), []);
    const done = await eventually(async () => {
      const { body } = await exchange('GET', `${node}/firmware`);
      return body.uds?.sus === 1 ? body : undefined;
    });
    assert.deepEqual(done.uds, { acn: 'ud', sus: 1 });
    assert.equal(done.vr, '1.1.0');
  });

  it('writes normal attributes before running executable ones, in table order', async () => {
    const { rsc, sent } = await exchange('PUT', `${node}/eventLog-0`, wrap('eventLog', { lgo: false, lga: true, lgt: 3 }));
    assert.equal(rsc, 2004);
    assert.deepEqual(sent, ['PUT /20/0/4010', 'POST /20/0/4011']);
  });

  it('stops at the first failing step and says what had already been done', async () => {
    device.answerWith('/9/0/4', '4.05');
    const { rsc, dbg, sent } = await exchange('PUT', `${node}/software-0`, wrap('software', { act: true, url: 'sim:app-2', in: true }));
    assert.equal(rsc, 4005);
    assert.deepEqual(sent, ['PUT /9/0/3', 'POST /9/0/4'], 'activate is not sent after install failed');
    assert.match(dbg ?? '', /execute \/9\/0\/4.*4\.05.*already done: write \/9\/0\/3/);
  });

  it('refuses a write to an attribute that is read-only on the device, before sending anything', async () => {
    const { rsc, dbg, sent } = await exchange('PUT', `${node}/memory`, wrap('memory', { mma: 1000 }));
    assert.equal(rsc, 4005);
    assert.match(dbg ?? '', /mma.*read-only.*\/3\/0\/10/);
    assert.deepEqual(sent, []);
  });

  it('refuses a value that does not fit its resource with 4000, before sending anything', async () => {
    const { rsc, dbg, sent } = await exchange('PUT', `${node}/deviceInfo`, wrap('deviceInfo', { syst: '20240230T000000' }));
    assert.equal(rsc, 4000);
    assert.match(dbg ?? '', /syst/);
    assert.deepEqual(sent, []);
  });

  it('reboot: rbo=true executes /3/0/4, far=false sends nothing, Delete is refused without touching the device', async () => {
    const reboot = await exchange('PUT', `${node}/reboot`, wrap('reboot', { rbo: true, far: false }));
    assert.equal(reboot.rsc, 2004);
    assert.deepEqual(reboot.sent, ['POST /3/0/4']);
    await new Promise((resolve) => device.once('rebooted', resolve));
    const nothing = await exchange('PUT', `${node}/reboot`, wrap('reboot', { far: false }));
    assert.equal(nothing.rsc, 2004);
    assert.deepEqual(nothing.sent, []);
    const refused = await exchange('DELETE', `${node}/reboot`);
    assert.equal(refused.rsc, 4005);
    assert.match(refused.dbg ?? '', /single-instance/);
    assert.deepEqual(refused.sent, []);
  });

  it('firmware (single instance) cannot be deleted: 4005, nothing sent', async () => {
    const { rsc, sent } = await exchange('DELETE', `${node}/firmware`);
    assert.equal(rsc, 4005);
    assert.deepEqual(sent, []);
  });

  it('software: Create makes a new instance (POST /9), Update installs it, Retrieve reads it, Delete removes it', async () => {
    const created = await exchange('POST', node, wrap('software', { mgd: 1002, rn: 'software-1', swn: 'app2', vr: '2.0', url: 'sim:app2' }));
    assert.equal(created.rsc, 2001);
    assert.deepEqual(created.sent, ['POST /9', 'GET /9/1'], 'the new instance is read back');
    assert.deepEqual(created.body.obis, ['urn:oma:lwm2m:oma:9']);
    assert.equal(created.body.swn, device.value('/9/1/0'), 'the package name the device reports, not the one the CSE asked for');
    assert.notEqual(created.body.swn, 'app2');
    assert.equal(created.body.url, 'sim:app2', 'a value the Create carried and the device acknowledged');
    assert.deepEqual(created.body.obps, ['/9/1']);
    assert.ok(device.instances().includes('/9/1'));
    assert.equal(device.value('/9/1/3'), 'sim:app2');

    await eventually(async () => (device.value('/9/1/7') === 3 ? true : undefined));
    const install = await followedExchange(`${node}/software-1`, wrap('software', { in: true }), 'software-1', 'ins');
    assert.equal(install.rsc, 2004);
    assert.deepEqual(install.body.ins, { acn: 'in', sus: 3 }, 'answered when the device accepted the Install: in process');
    assert.deepEqual(install.sent, ['POST /9/1/4', 'PUT /9/1/7', 'GET /9/1/7', 'PUT /9/1/9', 'GET /9/1/9', 'GET /9/1/7', 'GET /9/1/9', 'GET /9/1']);
    const installed = await eventually(async () => {
      const { body } = await exchange('GET', `${node}/software-1`);
      return body.ins?.sus === 1 ? body : undefined;
    });
    assert.deepEqual(installed.ins, { acn: 'in', sus: 1 });

    const deleted = await exchange('DELETE', `${node}/software-1`);
    assert.equal(deleted.rsc, 2002);
    assert.deepEqual(deleted.sent, ['DELETE /9/1']);
    assert.ok(!device.instances().includes('/9/1'));
  });

  it('Create naming an existing instance in obps binds to it without any CoAP request, claiming none of the device values', async () => {
    const { rsc, body, sent } = await exchange('POST', node, wrap('software', { mgd: 1002, rn: 'software-bound', swn: 'x', vr: '1', url: 'coap://x/y', obps: ['/9/0'] }));
    assert.equal(rsc, 2001);
    assert.deepEqual(sent, []);
    assert.deepEqual([body.swn, body.vr, body.url], [undefined, undefined, undefined], 'nothing was sent or read: the device confirmed none of them');
    assert.deepEqual(body.obps, ['/9/0']);
    assert.deepEqual(body.obis, ['urn:oma:lwm2m:oma:9']);
  });

  it('Create with objectPaths that name no instance of the object is refused (6005), nothing sent', async () => {
    for (const obps of [['/5/0'], ['not a path'], ['/9/99999999']]) {
      const { rsc, dbg, sent } = await exchange('POST', node, wrap('software', { mgd: 1002, rn: `software-bad-${nextName()}`, swn: 'x', vr: '1', url: 'coap://x/y', obps }));
      assert.equal(rsc, 6005, `${JSON.stringify(obps)}: ${dbg}`);
      assert.match(dbg ?? '', /objectPaths/);
      assert.deepEqual(sent, []);
    }
  });

  it('deviceCapability: Retrieve, enable/disable executes opEnable/opDisable, Delete removes the instance', async () => {
    const read = await exchange('GET', `${node}/deviceCapability-0`);
    assert.equal(read.rsc, 2000);
    assert.equal(typeof read.body.can, 'string');
    assert.equal(typeof read.body.att, 'boolean');
    const disable = await exchange('PUT', `${node}/deviceCapability-0`, wrap('deviceCapability', { dis: true }));
    assert.deepEqual(disable.sent, ['POST /15/0/6']);
    assert.equal((await exchange('GET', `${node}/deviceCapability-0`)).body.cus, false);
    const enable = await exchange('PUT', `${node}/deviceCapability-0`, wrap('deviceCapability', { ena: true }));
    assert.deepEqual(enable.sent, ['POST /15/0/5']);
    assert.equal((await exchange('GET', `${node}/deviceCapability-0`)).body.cus, true);
    const created = await exchange('POST', node, wrap('deviceCapability', { mgd: 1008, rn: 'deviceCapability-1', can: 'gps', att: true, cas: { acn: '', sus: 0 }, cus: false }));
    assert.equal(created.rsc, 2001);
    assert.deepEqual(created.sent, ['POST /15', 'GET /15/1']);
    assert.deepEqual(created.body.obps, ['/15/1']);
    const deleted = await exchange('DELETE', `${node}/deviceCapability-1`);
    assert.equal(deleted.rsc, 2002);
    assert.deepEqual(deleted.sent, ['DELETE /15/1']);
  });

  it('eventLog: logTypeId is written, logStart / logStop execute 4011 / 4012, logStatus follows', async () => {
    const write = await exchange('PUT', `${node}/eventLog-0`, wrap('eventLog', { lgt: 2 }));
    assert.equal(write.rsc, 2004);
    assert.deepEqual(write.sent, ['PUT /20/0/4010']);
    assert.equal(Number(device.value('/20/0/4010')), 2);
    const start = await exchange('PUT', `${node}/eventLog-0`, wrap('eventLog', { lga: true }));
    assert.deepEqual(start.sent, ['POST /20/0/4011']);
    const started = await exchange('GET', `${node}/eventLog-0`);
    assert.equal(started.body.lgt, 2);
    assert.equal(started.body.lgst, 1);
    const stop = await exchange('PUT', `${node}/eventLog-0`, wrap('eventLog', { lgo: true }));
    assert.deepEqual(stop.sent, ['POST /20/0/4012']);
    assert.equal((await exchange('GET', `${node}/eventLog-0`)).body.lgst, 2);
  });

  it('counts downlink requests by operation and code in /metrics', async () => {
    const metrics = await (await fetch(proxy.url('/metrics'))).text();
    assert.match(metrics, /lwm2m_downlink_requests_total\{operation="read",code="2.05"\} [1-9]/);
    assert.match(metrics, /lwm2m_downlink_requests_total\{operation="execute",code="2.04"\} [1-9]/);
    assert.match(metrics, /lwm2m_downlink_duration_seconds_count\{operation="read"\} [1-9]/);
  });
});

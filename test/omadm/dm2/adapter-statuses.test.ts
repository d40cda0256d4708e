import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../lwm2m/helpers.js';
import { wrap } from '../../management/managed-devices.js';
import { CREATE, PATIENT, UPPER_BOUND_MS, commandsSince, managedDm2Device, oneM2M, sessionOnceQueued, throughSession } from './dm2-adapter-kit.js';

const DEV = 'IMEI:2021';
const DEVINFO = 'urn:oma:mo:oma-dm-devinfo:1.0';
const FUMO = 'urn:oma:mo:oma-fumo:1.0';

test('a blocking Retrieve when the DM 2.0 device opens no session answers 6021; its GET is withdrawn and never sent late', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  const answer = await oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, { 'X-M2M-RET': '300' });
  assert.equal(answer.rsc, 6021, answer.dbg);
  assert.deepEqual(await dm.omadm.dm2Queue.waiting(DEV), []);
  const from = dm.sim.events.length;
  assert.equal((await dm.sim.openSession()).result, 'completed');
  assert.deepEqual(commandsSince(dm.sim, from), []);
});

test('DM 2.0 statuses the device gives: GET 404 -> 6005, DELETE of the permanent DevInfo 405 -> 4005, EXEC 405 -> 4005', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  dm.sim.faults.forceStatus(`${DEVINFO}/1/`, 404, { cmd: 'GET' });
  const read = await throughSession(dm, () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT));
  assert.equal(read.rsc, 6005, read.dbg);
  assert.match(read.dbg ?? '', /GET urn:oma:mo:oma-dm-devinfo:1\.0\/1\/ → 404/);

  const removed = await throughSession(dm, () => oneM2M(dm.proxy, 'DELETE', `${dm.node}/deviceInfo`, undefined, PATIENT));
  assert.equal(removed.rsc, 4005, removed.dbg);
  assert.ok(dm.sim.value('./DevInfo/Man') !== undefined, 'DevInfo is still there');

  dm.sim.faults.forceStatus(`${FUMO}/1/DownloadAndUpdate`, 405, { cmd: 'EXEC' });
  const update = await throughSession(dm, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { ud: true }), PATIENT));
  assert.equal(update.rsc, 4005, update.dbg);
});

test('419 ServerURI Error: the device cannot fetch the Create\'s MO data (Create -> 6025) nor report an EXEC (-> 6025)', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  dm.sim.faults.serverUriFails = true;
  const created = await throughSession(dm, () => oneM2M(dm.proxy, 'POST', dm.node, wrap('software', { rn: 'software-app', mgd: 1002, url: 'http://sw.example/app', swn: 'app', vr: '1.0' }), CREATE));
  assert.equal(created.rsc, 6025, created.dbg);
  assert.match(created.dbg ?? '', /419/);
  assert.equal(dm.sim.value('./SCOMO/Download/app/PkgURL'), undefined);
  dm.sim.faults.serverUriFails = false;

  dm.sim.faults.forceStatus(`${FUMO}/1/DownloadAndUpdate`, 419, { cmd: 'EXEC' });
  const update = await throughSession(dm, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { ud: true }), PATIENT));
  assert.equal(update.rsc, 6025, update.dbg);
});

test('Update of a writable leaf is an HGET to its ClientURI; Delete of a software mgmtObj is a DELETE of its instance node', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  let from = dm.sim.events.length;
  const updated = await throughSession(dm, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: 'http://fw.example/3.0' }), PATIENT));
  assert.equal(updated.rsc, 2004, updated.dbg);
  assert.equal(updated.body.url, 'http://fw.example/3.0');
  assert.equal(dm.sim.value('./FUMO/DownloadAndUpdate/PkgURL'), 'http://fw.example/3.0');
  assert.deepEqual(commandsSince(dm.sim, from), [`HGET ${FUMO}/1/DownloadAndUpdate/PkgURL`]);

  const created = await throughSession(dm, () => oneM2M(dm.proxy, 'POST', dm.node, wrap('software', { rn: 'software-tool', mgd: 1002, url: 'http://sw.example/tool', swn: 'tool', vr: '1.0' }), CREATE));
  assert.equal(created.rsc, 2001, created.dbg);
  from = dm.sim.events.length;
  const removed = await throughSession(dm, () => oneM2M(dm.proxy, 'DELETE', `${dm.node}/software-tool`, undefined, PATIENT));
  assert.equal(removed.rsc, 2002, removed.dbg);
  assert.deepEqual(commandsSince(dm.sim, from), ['DELETE urn:oma:mo:oma-scomo:1.0/1/Download/tool']);
  assert.equal(dm.sim.value('./SCOMO/Download/tool/PkgURL'), undefined);
});

test('a failed update reported by the Generic Alert: uds failure, the <request> completes with 5000', async (t) => {
  const dm = await managedDm2Device(t, DEV, { exec: { fumoResult: 410 } });
  const answer = await oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware?rt=1`, wrap('firmware', { url: 'http://fw.example/bad', ud: true }), { ...PATIENT, 'X-M2M-RI': 'dm2-fw-bad' });
  assert.equal(answer.rsc, 1001, answer.dbg);
  assert.equal((await sessionOnceQueued(dm, 2)).result, 'completed');
  const done = await eventually(async () => {
    const request = await oneM2M(dm.proxy, 'GET', `/~/id-proxy/${answer.body as unknown as string}`);
    return request.body.rs === 1 ? undefined : request.body.rs === 3 ? undefined : request.body;
  }, UPPER_BOUND_MS, 'the <request> to end');
  assert.equal(done.ors.rsc, 5000, JSON.stringify(done.ors));
  assert.match(done.ors.pc?.['m2m:dbg'] ?? JSON.stringify(done.ors), /410/);
});

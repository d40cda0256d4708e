import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../lwm2m/helpers.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { wrap } from '../../management/managed-devices.js';
import { PATIENT, UPPER_BOUND_MS, managedDmDevice, oneM2M, throughSession } from './dm-adapter-kit.js';

const DEV = 'IMEI:1001';

/** The firmware mgmtObj as the proxy holds it (rcn=8 shows stored children without asking the device). */
async function storedFirmware(proxy: TestProxy, node: string): Promise<Record<string, any>> {
  const answer = await oneM2M(proxy, 'GET', `${node}?rcn=8`);
  assert.equal(answer.rsc, 2000, answer.dbg);
  const firmware = (answer.body['m2m:fwr'] as Array<Record<string, any>> | undefined)?.[0];
  assert.ok(firmware, `a firmware child in ${JSON.stringify(answer.body)}`);
  return firmware;
}

test('Retrieve of deviceInfo and memory becomes Gets in the next session; the values come from the device\'s tree', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  dm.sim.setValue('./DiagMon/Memory/Avail', '1234', 'int');
  const memory = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'GET', `${dm.node}/memory`, undefined, PATIENT));
  assert.equal(memory.rsc, 2000, memory.dbg);
  assert.equal(memory.body.mma, 1234);
  assert.equal(memory.body.mmt, 64 * 1024 * 1024);

  const info = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT));
  assert.equal(info.rsc, 2000, info.dbg);
  assert.equal(info.body.man, 'onem2m-dm-proxy');
  assert.equal(info.body.dlb, DEV);
  assert.equal(info.body.fwv, '1.0.0');
  const gets = dm.sim.events.filter((event) => event.event === 'command' && event.cmd === 'Get').map((event) => event.path);
  assert.ok(gets.includes('./DiagMon/Memory/Avail') && gets.includes('./DevDetail/FwV'), `Gets: ${gets.join(', ')}`);
});

test('a blocking Retrieve when the device opens no session answers 6021 and its Get is withdrawn, never sent late', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  const answer = await oneM2M(dm.proxy, 'GET', `${dm.node}/battery`, undefined, { 'X-M2M-RET': '300' });
  assert.equal(answer.rsc, 6021, answer.dbg);
  assert.deepEqual(await dm.omadm.commandQueue.waiting(DEV), [], 'nothing left in the queue');
  const before = dm.sim.events.length;
  assert.equal((await dm.sim.openSession()).result, 'completed');
  assert.equal(dm.sim.events.slice(before).filter((event) => event.event === 'command').length, 0, 'no command in the next session');
});

test('firmware: url and ud in one Update are a Replace then an Exec (Sequence); 202 answers 1000 ACCEPTED with uds In_Process, the Generic Alert completes it', async (t) => {
  // the update runs long enough on the device that In_Process can be seen stored before it ends
  const dm = await managedDmDevice(t, DEV, { exec: { asyncDelayMs: 3000 } });
  const update = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: 'http://fw.example/2.0.0', ud: true }), PATIENT));
  assert.equal(update.rsc, 1000, `${update.dbg} ${JSON.stringify(update.body)}`);
  const accepted = await eventually(async () => {
    const firmware = await storedFirmware(dm.proxy, dm.node);
    return firmware.uds?.sus === 3 ? firmware : undefined;
  }, UPPER_BOUND_MS, 'uds In_Process stored');
  assert.deepEqual(accepted.uds, { acn: 'ud', sus: 3 });
  assert.equal(accepted.url, 'http://fw.example/2.0.0');
  assert.equal(dm.sim.value('./FUMO/DownloadAndUpdate/PkgURL'), 'http://fw.example/2.0.0');

  // the simulator opens a session of its own to deliver the Generic Alert once the update is done
  await dm.sim.waitFor((event) => event.event === 'generic-alert-delivered', UPPER_BOUND_MS);
  const stored = await eventually(async () => {
    const firmware = await storedFirmware(dm.proxy, dm.node);
    return firmware.uds?.sus === 1 ? firmware : undefined;
  }, UPPER_BOUND_MS, 'uds successful');
  assert.deepEqual(stored.uds, { acn: 'ud', sus: 1 });
  assert.equal(stored.vr, '2.0.0', 'the firmware was read again after the alert');
  const events = dm.sim.events.map((event) => (event.event === 'command' ? `${event.cmd} ${event.path}` : event.event));
  const delivered = events.indexOf('generic-alert-delivered');
  const reread = events.indexOf('Get ./FUMO/PkgVersion');
  assert.ok(delivered >= 0 && reread > delivered && reread < events.indexOf('session-ended', delivered), `read in the alert's session: ${events.join(', ')}`);
});

test('a read-only attribute is refused before anything is queued; an Update of a missing node maps the device\'s 404', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  const readOnly = await oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { vr: '9.9' }), PATIENT);
  assert.notEqual(readOnly.rsc, 2004, readOnly.dbg);
  assert.deepEqual(await dm.omadm.commandQueue.waiting(DEV), []);

  dm.sim.faults.forceStatus('./FUMO/DownloadAndUpdate/PkgURL', 404, { cmd: 'Replace' });
  const missing = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware`, wrap('firmware', { url: 'http://fw.example/x' }), PATIENT));
  assert.equal(missing.rsc, 6005, missing.dbg);
  assert.match(missing.dbg ?? '', /Replace \.\/FUMO\/DownloadAndUpdate\/PkgURL → 404/);
});

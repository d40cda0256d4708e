import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../lwm2m/helpers.js';
import { wrap } from '../../management/managed-devices.js';
import { CREATE, PATIENT, UPPER_BOUND_MS, alertDelivered, commandsSince, managedDm2Device, oneM2M, throughSession } from './dm2-adapter-kit.js';

const DEV = 'IMEI:2020';
const DEVINFO = 'urn:oma:mo:oma-dm-devinfo:1.0';
const SCOMO = 'urn:oma:mo:oma-scomo:1.0';

test('deviceInfo of a DM 2.0 device: one GET of the DevInfo instance; read again with its cache validator, the device answers 304 and the last values stand', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  const nodeAnswer = await oneM2M(dm.proxy, 'GET', `${dm.node}?rcn=8`);
  assert.equal(nodeAnswer.rsc, 2000, nodeAnswer.dbg);
  assert.deepEqual(nodeAnswer.body['m2m:dvi']?.[0]?.obps, [`${DEVINFO}/1`], JSON.stringify(nodeAnswer.body));

  let from = dm.sim.events.length;
  const first = await throughSession(dm, () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT));
  assert.equal(first.rsc, 2000, first.dbg);
  assert.equal(first.body.dlb, DEV);
  assert.equal(first.body.man, 'onem2m-dm-proxy');
  assert.equal(first.body.fwv, dm.sim.value('./DevInfo/FwV'), 'FwV of DM 2.0 DevInfo (dm20Path)');
  assert.deepEqual(commandsSince(dm.sim, from), [`GET ${DEVINFO}/1/`]);

  from = dm.sim.events.length;
  const second = await throughSession(dm, () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT));
  assert.equal(second.rsc, 2000, second.dbg);
  const [get] = dm.sim.events.slice(from).filter((event) => event.event === 'command');
  assert.match(String(get.uri), /\?cv=[0-9a-f]+$/);
  assert.equal(get.status, 304);
  for (const attribute of ['dlb', 'man', 'mod', 'dty', 'fwv', 'swv', 'hwv']) assert.equal(second.body[attribute], first.body[attribute], attribute);
});

test('software on a DM 2.0 device: Create is an HGET of MO data the device fetches from the repository; in=true is an EXEC whose Generic Alert, posted to its report URI, stores ins successful', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  let from = dm.sim.events.length;
  const created = await throughSession(dm, () =>
    oneM2M(dm.proxy, 'POST', dm.node, wrap('software', { rn: 'software-app', mgd: 1002, url: 'http://sw.example/app-1.0', swn: 'app', vr: '1.0' }), CREATE));
  assert.equal(created.rsc, 2001, `${created.dbg} ${JSON.stringify(created.body)}`);
  assert.equal(dm.sim.value('./SCOMO/Download/app/PkgURL'), 'http://sw.example/app-1.0');
  assert.deepEqual(created.body.obps, [`${SCOMO}/1/Download/app`]);
  const [hget] = commandsSince(dm.sim, from);
  assert.equal(hget, `HGET ${SCOMO}/1/Download/app`);
  assert.equal(dm.omadm.dm2Repository.usage().open, 0, 'the repository URI was used once and closed');

  from = dm.sim.events.length;
  const install = await throughSession(dm, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/software-app`, wrap('software', { in: true }), PATIENT));
  assert.equal(install.rsc, 1000, `${install.dbg} ${JSON.stringify(install.body)}`);
  assert.match(install.dbg ?? '', /202/, 'accepted: the result comes later');
  await alertDelivered(dm.sim, from);
  const exec = dm.sim.events.slice(from).find((event) => event.event === 'generic-alert-due');
  assert.match(String(exec?.serverUri), /\/dm2\?r=[A-Za-z0-9_-]{24}$/, 'the EXEC named a report URI of the proxy');
  const stored = await eventually(async () => {
    const answer = await oneM2M(dm.proxy, 'GET', `${dm.node}?rcn=8`);
    const app = ((answer.body['m2m:swr'] as Array<Record<string, any>> | undefined) ?? []).find((software) => software.rn === 'software-app');
    return app?.ins?.sus === 1 ? app : undefined;
  }, UPPER_BOUND_MS, 'ins successful stored');
  assert.deepEqual(stored.ins, { acn: 'in', sus: 1 });
  assert.equal(stored.vr, '1.0.0', 'read again after the alert: the installed component\'s version');
  assert.ok(dm.sim.value('./SCOMO/Inventory/Deployed/app/Name') !== undefined, 'installed on the device');
});

test('firmware ud=true through a non-blocking request: 202 now, the <request> completes with uds successful once the Generic Alert came', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  const answer = await oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware?rt=1`, wrap('firmware', { url: 'http://fw.example/2.0', ud: true }), { ...PATIENT, 'X-M2M-RI': 'dm2-fw' });
  assert.equal(answer.rsc, 1001, answer.dbg);
  const ri = answer.body as unknown as string;
  const from = dm.sim.events.length;
  const { sessionOnceQueued } = await import('./dm2-adapter-kit.js');
  assert.equal((await sessionOnceQueued(dm, 3)).result, 'completed');
  assert.deepEqual(commandsSince(dm.sim, from).slice(0, 3).map((command) => command.split(' ')[0]), ['HGET', 'SUB', 'EXEC']);
  const done = await eventually(async () => {
    const request = await oneM2M(dm.proxy, 'GET', `/~/id-proxy/${ri}`);
    return request.body.rs === 1 ? request.body : undefined;
  }, UPPER_BOUND_MS, 'the <request> to complete');
  assert.equal(done.ors.rsc, 2004, JSON.stringify(done.ors));
  assert.deepEqual(done.ors.pc['m2m:fwr'].uds, { acn: 'ud', sus: 1 });
  assert.equal(done.ors.pc['m2m:fwr'].vr, '2.0.0', 'PkgVersion read again after the update');
  assert.equal(dm.sim.value('./DevInfo/FwV'), '2.0.0');
});

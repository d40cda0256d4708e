import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../lwm2m/helpers.js';
import type { TestProxy } from '../../helpers/proxy-harness.js';
import { wrap } from '../../management/managed-devices.js';
import type { SimulatedDmDevice } from '../../../src/sim/omadm/index.js';
import { PATIENT, UPPER_BOUND_MS, managedDmDevice, oneM2M, throughSession } from './dm-adapter-kit.js';

const DEV = 'IMEI:2001';
const CREATE = { 'Content-Type': 'application/json;ty=13', ...PATIENT };

/** The software mgmtObjs as the proxy holds them, by rn (rcn=8: stored children, the device is not asked). */
async function storedSoftware(proxy: TestProxy, node: string): Promise<Map<string, Record<string, any>>> {
  const answer = await oneM2M(proxy, 'GET', `${node}?rcn=8`);
  assert.equal(answer.rsc, 2000, answer.dbg);
  const software = (answer.body['m2m:swr'] as Array<Record<string, any>> | undefined) ?? [];
  return new Map(software.map((resource) => [resource.rn as string, resource]));
}

function softwareWhere(proxy: TestProxy, node: string, what: string, match: (software: Map<string, Record<string, any>>) => boolean) {
  return eventually(async () => {
    const software = await storedSoftware(proxy, node);
    return match(software) ? software : undefined;
  }, UPPER_BOUND_MS, what);
}

/**
 * The SCOMO OperationComplete of the operation just accepted reached the proxy and the session that brought it (where
 * the proxy reads the inventory again) ended: a command queued later waits for the next session.
 */
async function alertDelivered(sim: SimulatedDmDevice, from: number) {
  const delivered = await sim.waitFor((event) => event.event === 'generic-alert-delivered' && sim.events.indexOf(event) >= from, UPPER_BOUND_MS);
  await sim.waitFor((event) => event.event === 'session-ended' && sim.events.indexOf(event) > sim.events.indexOf(delivered), UPPER_BOUND_MS);
}

test('the first session reads the SCOMO inventory: the node shows software-base with the deployed component\'s name and version', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  const software = await storedSoftware(dm.proxy, dm.node);
  const base = software.get('software-base');
  assert.ok(base, `software children: ${[...software.keys()].join(', ')}`);
  assert.equal(base.swn, 'base-services');
  assert.equal(base.vr, '1.0.0');
  assert.deepEqual(base.obps, ['./SCOMO/Inventory/Deployed/base', './SCOMO/Download/base']);
  const gets = dm.sim.events.filter((event) => event.event === 'command' && event.cmd === 'Get').map((event) => event.path);
  assert.ok(gets.includes('./SCOMO/Inventory/Deployed') && gets.includes('./SCOMO/Inventory/Deployed/base/Version'), `Gets: ${gets.join(', ')}`);

  // a later session of the same process neither reads the inventory again nor loses the software mgmtObjs
  const before = dm.sim.events.length;
  assert.equal((await dm.sim.openSession()).result, 'completed');
  assert.equal(dm.sim.events.slice(before).filter((event) => event.event === 'command').length, 0);
  assert.ok((await storedSoftware(dm.proxy, dm.node)).has('software-base'));
});

test('software: Create (url) then Update in=true → 1000, the OperationComplete alert stores ins successful and the installed component is published', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  const created = await throughSession(dm, DEV, () =>
    oneM2M(dm.proxy, 'POST', dm.node, wrap('software', { rn: 'software-app', mgd: 1002, url: 'http://sw.example/app-1.0', swn: 'app', vr: '1.0' }), CREATE));
  assert.equal(created.rsc, 2001, `${created.dbg} ${JSON.stringify(created.body)}`);
  assert.equal(dm.sim.value('./SCOMO/Download/app/PkgURL'), 'http://sw.example/app-1.0');

  const from = dm.sim.events.length;
  const install = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/software-app`, wrap('software', { in: true }), PATIENT));
  assert.equal(install.rsc, 1000, `${install.dbg} ${JSON.stringify(install.body)}`);
  await alertDelivered(dm.sim, from);
  const software = await softwareWhere(dm.proxy, dm.node, 'ins successful and the component read', (all) =>
    all.get('software-app')?.ins?.sus === 1 && all.get('software-app')?.obps?.includes('./SCOMO/Inventory/Deployed/app'));
  const app = software.get('software-app')!;
  assert.deepEqual(app.ins, { acn: 'in', sus: 1 });
  assert.equal(app.ri, created.body.ri, 'the CSE\'s resource stands for the installed component (no second one)');
  assert.equal(app.vr, '1.0.0', 'the version the device reports');
  assert.ok(dm.sim.value('./SCOMO/Inventory/Deployed/app/Name') !== undefined, 'installed on the device');
  assert.ok(software.has('software-base'));
});

test('software: act, dea and un on software-base run Activate, Deactivate and Remove; after Remove the mgmtObj is gone', async (t) => {
  const dm = await managedDmDevice(t, DEV);
  const run = async (attribute: 'act' | 'dea' | 'un', operation: string) => {
    const from = dm.sim.events.length;
    const answer = await throughSession(dm, DEV, () => oneM2M(dm.proxy, 'PUT', `${dm.node}/software-base`, wrap('software', { [attribute]: true }), PATIENT));
    assert.equal(answer.rsc, 1000, `${attribute}: ${answer.dbg}`);
    await alertDelivered(dm.sim, from);
    const execs = dm.sim.events.slice(from).filter((event) => event.event === 'command' && event.cmd === 'Exec').map((event) => event.path);
    assert.deepEqual(execs, [`./SCOMO/Inventory/Deployed/base/Operations/${operation}`]);
  };
  await run('dea', 'Deactivate');
  assert.equal(dm.sim.value('./SCOMO/Inventory/Deployed/base/State'), '10');
  await softwareWhere(dm.proxy, dm.node, 'acts dea successful', (all) => all.get('software-base')?.acts?.acn === 'dea' && all.get('software-base')?.acts?.sus === 1);
  await run('act', 'Activate');
  assert.equal(dm.sim.value('./SCOMO/Inventory/Deployed/base/State'), '20');
  await softwareWhere(dm.proxy, dm.node, 'acts act successful', (all) => all.get('software-base')?.acts?.acn === 'act' && all.get('software-base')?.acts?.sus === 1);
  await run('un', 'Remove');
  assert.equal(dm.sim.value('./SCOMO/Inventory/Deployed/base/State'), undefined);
  await softwareWhere(dm.proxy, dm.node, 'software-base removed', (all) => !all.has('software-base'));
});

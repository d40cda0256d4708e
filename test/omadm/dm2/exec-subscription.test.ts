/**
 * Issue 14 item 3 (SUB/UNSUB to keep status attributes fresh): while a firmware update runs, the proxy subscribes to
 * FUMO State; each change the device PUTs to the subscription URI is stored as uds progress before the Generic Alert,
 * and the subscription ends (UNSUB) in the session that brings the alert.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../lwm2m/helpers.js';
import { wrap } from '../../management/managed-devices.js';
import { PATIENT, UPPER_BOUND_MS, alertDelivered, commandsSince, managedDm2Device, oneM2M, sessionOnceQueued } from './dm2-adapter-kit.js';

const FUMO = 'urn:oma:mo:oma-fumo:1.0/1';

async function storedFirmware(dm: Awaited<ReturnType<typeof managedDm2Device>>): Promise<Record<string, any> | undefined> {
  const answer = await oneM2M(dm.proxy, 'GET', `${dm.node}?rcn=8`);
  return ((answer.body['m2m:fwr'] as Array<Record<string, any>> | undefined) ?? [])[0];
}

test('FUMO State changes the device reports during an update are stored as uds progress before the Generic Alert', async (t) => {
  // The alert comes long after the test: every uds seen meanwhile came through the subscription.
  const dm = await managedDm2Device(t, 'IMEI:2051', { exec: { asyncDelayMs: 600_000 } });
  const answer = await oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware?rt=1`, wrap('firmware', { url: 'http://fw.example/2.0', ud: true }), { ...PATIENT, 'X-M2M-RI': 'dm2-sub' });
  assert.equal(answer.rsc, 1001, answer.dbg);
  const from = dm.sim.events.length;
  assert.equal((await sessionOnceQueued(dm, 3)).result, 'completed');
  assert.deepEqual(commandsSince(dm.sim, from).map((command) => command.split(' ')[0]), ['HGET', 'SUB', 'EXEC']);
  assert.equal(commandsSince(dm.sim, from)[1], `SUB ${FUMO}/State`);
  await dm.sim.waitFor((event) => event.event === 'subscription-reported' && dm.sim.events.indexOf(event) >= from, UPPER_BOUND_MS);

  const reported = dm.sim.events.length;
  dm.sim.setValue('./FUMO/State', '100');
  await dm.sim.waitFor((event) => event.event === 'subscription-reported' && dm.sim.events.indexOf(event) >= reported, UPPER_BOUND_MS);
  const stored = await eventually(async () => {
    const firmware = await storedFirmware(dm);
    return firmware?.uds?.sus === 1 ? firmware : undefined;
  }, UPPER_BOUND_MS, 'uds successful stored from the subscription');
  assert.deepEqual(stored.uds, { acn: 'ud', sus: 1 });
  const request = await oneM2M(dm.proxy, 'GET', `/~/id-proxy/${answer.body as unknown as string}`);
  assert.notEqual(request.body.rs, 1, 'the request still waits for the Generic Alert');
});

test('the subscription ends with UNSUB in the session that brings the Generic Alert', async (t) => {
  const dm = await managedDm2Device(t, 'IMEI:2052');
  const answer = await oneM2M(dm.proxy, 'PUT', `${dm.node}/firmware?rt=1`, wrap('firmware', { url: 'http://fw.example/2.0', ud: true }), { ...PATIENT, 'X-M2M-RI': 'dm2-unsub' });
  assert.equal(answer.rsc, 1001, answer.dbg);
  const from = dm.sim.events.length;
  assert.equal((await sessionOnceQueued(dm, 3)).result, 'completed');
  await alertDelivered(dm.sim, from);
  const done = await eventually(async () => {
    const request = await oneM2M(dm.proxy, 'GET', `/~/id-proxy/${answer.body as unknown as string}`);
    return request.body.rs === 1 ? request.body : undefined;
  }, UPPER_BOUND_MS, 'the <request> to complete');
  assert.deepEqual(done.ors.pc['m2m:fwr'].uds, { acn: 'ud', sus: 1 });
  const commands = commandsSince(dm.sim, from);
  assert.ok(commands.includes(`UNSUB ${FUMO}/State`), commands.join(' | '));
  assert.equal(dm.omadm.dm2Repository.usage().open, 0, 'the subscription URI is closed');
});

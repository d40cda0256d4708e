/**
 * Issue 14 item 3 (Retrieve -> GET or HPUT): a device that answers GET with 501 is read with HPUT through the data
 * repository in the same session, and from then on with HPUT alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PATIENT, commandsSince, managedDm2Device, oneM2M, throughSession } from './dm2-adapter-kit.js';

const DEV = 'IMEI:2041';

test('a device answering GET with 501 is read through HPUT in the same session, then through HPUT alone', async (t) => {
  const dm = await managedDm2Device(t, DEV);
  dm.sim.faults.forceStatus(() => true, 501, { cmd: 'GET', times: Infinity });
  const read = () => oneM2M(dm.proxy, 'GET', `${dm.node}/deviceInfo`, undefined, PATIENT);

  const from = dm.sim.events.length;
  const first = await throughSession(dm, read);
  assert.equal(first.rsc, 2000, first.dbg);
  assert.equal(typeof first.body.man, 'string', 'the values the device PUT to the repository');
  const commands = commandsSince(dm.sim, from);
  assert.equal(commands.length, 2, commands.join(' | '));
  assert.match(commands[0], /^GET urn:oma:mo:oma-dm-devinfo:/);
  assert.match(commands[1], /^HPUT urn:oma:mo:oma-dm-devinfo:/);
  const sessions = dm.sim.events.slice(from).filter((event) => event.event === 'session-ended').length;
  assert.equal(sessions, 1, 'the HPUT went out in the session that answered the GET');

  const again = dm.sim.events.length;
  const second = await throughSession(dm, read);
  assert.equal(second.rsc, 2000, second.dbg);
  assert.equal(second.body.man, first.body.man);
  const secondCommands = commandsSince(dm.sim, again);
  assert.deepEqual(secondCommands.map((command) => command.split(' ')[0]), ['HPUT'], 'GET is not tried again');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choosePlan } from '../../bench/load/dm-plan.js';

const cost = (mgmtObj: string, commands: number, rsc = '2000', queued = commands) => ({ mgmtObj, queued, commands, rsc });

test('the omadm13 plan: Retrieves that make exactly the target number of DM commands, distinct mgmtObjs and fewest Retrieves first', () => {
  const costs = [cost('memory', 2), cost('battery', 2), cost('deviceInfo', 0), cost('firmware', 1), cost('reboot', 3)];
  assert.deepEqual(choosePlan(costs, 5), { plan: ['memory', 'reboot'], queued: 5, commands: 5 });
  assert.deepEqual(choosePlan([cost('memory', 2), cost('battery', 2), cost('firmware', 1)], 5), { plan: ['memory', 'battery', 'firmware'], queued: 5, commands: 5 });
  const oneGetEach = [cost('memory', 1), cost('battery', 1), cost('deviceInfo', 1), cost('firmware', 1)];
  assert.deepEqual(choosePlan(oneGetEach, 5), { plan: ['memory', 'memory', 'battery', 'deviceInfo', 'firmware'], queued: 5, commands: 5 }, 'a repeat only when distinct ones cannot make it');
});

test('the omadm13 plan: failed and device-less Retrieves never count; without an exact sum the closest (the larger of two) wins', () => {
  assert.deepEqual(choosePlan([cost('memory', 2), cost('battery', 4, '6003'), cost('deviceInfo', 0)], 5).plan, ['memory', 'memory']);
  assert.deepEqual(choosePlan([cost('battery', 4), cost('firmware', 6)], 5), { plan: ['firmware'], queued: 6, commands: 6 });
  assert.deepEqual(choosePlan([cost('memory', 1, '2000', 1), cost('firmware', 4, '2000', 1)], 5), { plan: ['memory', 'firmware'], queued: 2, commands: 5 }, 'follow-up commands count in the session');
  assert.deepEqual(choosePlan([cost('memory', 0), cost('battery', 2, '6003')], 5).plan, []);
});

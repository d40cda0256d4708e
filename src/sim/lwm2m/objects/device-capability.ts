import type { ResourceContent } from '../object-store.js';
import type { SimulatedObject } from './simulated-object.js';

const ENABLED = 4;

/** /15 DevCapMgmt: a capability per instance; opEnable / opDisable switch Enabled. */
export function deviceCapabilityObject(): SimulatedObject {
  return {
    id: 15,
    defaults: (instanceId) =>
      new Map<number, ResourceContent>([
        [0, instanceId === 0 ? 'temperature' : `capability-${instanceId}`],
        [1, 0], // SENSOR
        [2, instanceId === 0 ? 'Ambient temperature sensor' : ''],
        [3, true],
        [ENABLED, instanceId === 0],
        [7, false],
      ]),
    execute: {
      5: (ctx, instanceId) => {
        ctx.store.set(15, instanceId, ENABLED, true);
      },
      6: (ctx, instanceId) => {
        ctx.store.set(15, instanceId, ENABLED, false);
      },
    },
  };
}

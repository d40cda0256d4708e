import type { ResourceContent } from '../object-store.js';
import type { SimulatedObject } from './simulated-object.js';

const CURRENT_TIME = 13;
const ERROR_CODE = 11;

/** /3 Device: identity, power, memory, a ticking clock (Current Time is writable); Reboot and Factory Reset restart the device. */
export function deviceObject(): SimulatedObject {
  let clockOffsetSeconds = 0;
  return {
    id: 3,
    defaults: (_instanceId, ctx) =>
      new Map<number, ResourceContent>([
        [0, 'Simulated Devices Ltd'],
        [1, 'SIM-LWM2M-1'],
        [2, `SN-${ctx.endpoint}`],
        [3, '1.0.0'],
        [6, new Map([[0, 1], [1, 5]])], // internal battery, USB
        [7, new Map([[0, 3800], [1, 5000]])], // mV
        [8, new Map([[0, 125], [1, 900]])], // mA
        [9, 87],
        [10, 15], // kB
        [ERROR_CODE, new Map([[0, 0]])], // no error
        [CURRENT_TIME, nowSeconds()],
        [14, '+01:00'],
        [15, 'Europe/Berlin'],
        [16, 'U'],
        [17, 'sensor'],
        [18, 'HW-1.0'],
        [19, '2.1.0'],
        [20, 0], // normal
        [21, 128], // kB
      ]),
    execute: {
      4: (ctx) => ctx.reboot(),
      5: (ctx) => {
        clockOffsetSeconds = 0;
        ctx.factoryReset();
      },
      12: (ctx, instanceId) => {
        ctx.store.set(3, instanceId, ERROR_CODE, new Map([[0, 0]]));
      },
    },
    written: (ctx, instanceId, resourceId) => {
      if (resourceId === CURRENT_TIME) clockOffsetSeconds = Number(ctx.store.get(3, instanceId, CURRENT_TIME)) - nowSeconds();
    },
    beforeRead: (ctx, instanceId) => {
      ctx.store.set(3, instanceId, CURRENT_TIME, nowSeconds() + clockOffsetSeconds);
    },
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

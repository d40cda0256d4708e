import type { SimulatedObject } from './simulated-object.js';

/** /1 LwM2M Server: its data comes from the factory or the Bootstrap Server; Registration Update Trigger sends an Update. */
export function serverObject(): SimulatedObject {
  return {
    id: 1,
    defaults: () => new Map(),
    execute: {
      8: (ctx) => ctx.requestUpdate(),
    },
  };
}

import type { ResourceContent } from '../object-store.js';
import type { SimulatedObject } from './simulated-object.js';

const LOG_CLASS = 4010;
const LOG_STATUS = 4013;
const LOG_DATA = 4014;

/** LogStatus bits (OMA Event Log object): bit 0 = stopped, bit 1 = LogData holds valid data. */
const STOPPED = 0b01;
const DATA_VALID = 0b10;

/** /20 Event Log: LogStart clears the data and runs the collection, LogStop stops it and keeps the data. */
export function eventLogObject(): SimulatedObject {
  return {
    id: 20,
    defaults: () =>
      new Map<number, ResourceContent>([
        [LOG_CLASS, 0], // generic, the default of the object definition
        [LOG_STATUS, STOPPED],
        [LOG_DATA, Buffer.alloc(0)],
        [4015, 0], // no specific data format
      ]),
    execute: {
      4011: (ctx, instanceId) => {
        const logClass = ctx.store.get(20, instanceId, LOG_CLASS);
        ctx.store.set(20, instanceId, LOG_DATA, Buffer.from(`${new Date().toISOString()} log started, class ${String(logClass)}\n`));
        ctx.store.set(20, instanceId, LOG_STATUS, DATA_VALID);
      },
      4012: (ctx, instanceId) => {
        const data = ctx.store.get(20, instanceId, LOG_DATA);
        const valid = Buffer.isBuffer(data) && data.length > 0;
        ctx.store.set(20, instanceId, LOG_STATUS, STOPPED | (valid ? DATA_VALID : 0));
      },
    },
  };
}

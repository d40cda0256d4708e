import { Lwm2mDecodeError } from './model.js';

/** Payloads beyond this are refused before parsing (a constrained device's read answer is far smaller). */
export const MAX_CONTENT_BYTES = 1024 * 1024;

/** Most values one payload may carry: without it a 1 MiB TLV of empty resources would become ~500 000 objects. */
export const MAX_VALUES = 65536;

export function checkValueCount(count: number): void {
  if (count > MAX_VALUES) throw new Lwm2mDecodeError(`payload carries more than ${MAX_VALUES} values`);
}

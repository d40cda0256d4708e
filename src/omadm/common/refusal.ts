import type { DeviceReport, OneM2MOperation, ProxyOutcome } from '../../core/device-adapter.js';

/** The proxy answers without asking the device: a proxy outcome, or a DM status code the device would give (405 read-only). */
export class DmRefusal extends Error {
  constructor(
    readonly code: ProxyOutcome | '405',
    message: string,
  ) {
    super(message);
  }
}

export function refusalReport(technology: 'omadm13' | 'omadm20', operation: OneM2MOperation, refusal: DmRefusal): DeviceReport {
  return { technology, operation, code: refusal.code, detail: `(${refusal.code} without asking the device): ${refusal.message}` };
}

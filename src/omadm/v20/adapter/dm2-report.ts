import type { DeviceReport, OneM2MOperation } from '../../../core/device-adapter.js';
import type { CommandOutcome } from '../../common/command-dispatch.js';
import { DmRefusal, refusalReport } from '../../common/refusal.js';
import { unansweredOutcome } from '../../common/unanswered.js';

export function dm2Report(operation: OneM2MOperation, code: number | string, extra: Omit<DeviceReport, 'technology' | 'operation' | 'code'> = {}): DeviceReport {
  return { technology: 'omadm20', operation, code: String(code), ...extra };
}

/** The report of a command that got no answer: never sent (no session came in time), or sent and never answered. */
export function unansweredReport(operation: OneM2MOperation, outcome: Exclude<CommandOutcome<unknown>, { answer: unknown }>): DeviceReport {
  const { code, detail } = unansweredOutcome(outcome);
  return dm2Report(operation, code, { detail });
}

/** The report of a refusal before anything was sent; anything else thrown is a defect and rethrown. */
export function reportOfRefusal(operation: OneM2MOperation, error: unknown): DeviceReport {
  if (error instanceof DmRefusal) return refusalReport('omadm20', operation, error);
  throw error;
}

/** DM 2.0 status codes are HTTP-like: any 2xx is a success. */
export function isSuccess(sc: number): boolean {
  return sc >= 200 && sc < 300;
}

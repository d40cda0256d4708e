import type { DeviceReport, OneM2MOperation } from '../../../core/device-adapter.js';
import type { CommandOutcome } from './command-dispatch.js';
import { unansweredOutcome } from '../../common/unanswered.js';
import { DmRefusal, refusalReport } from './refusal.js';

export function dmReport(operation: OneM2MOperation, code: number | string, extra: Omit<DeviceReport, 'technology' | 'operation' | 'code'> = {}): DeviceReport {
  return { technology: 'omadm13', operation, code: String(code), ...extra };
}

/** The report of a command that got no answer: never sent (no session came in time), or sent and never answered. */
export function unansweredReport(operation: OneM2MOperation, outcome: Exclude<CommandOutcome, { answer: unknown }>): DeviceReport {
  const { code, detail } = unansweredOutcome(outcome);
  return dmReport(operation, code, { detail });
}

/** The report of a refusal before anything was sent; anything else thrown is a defect and rethrown. */
export function reportOfRefusal(operation: OneM2MOperation, error: unknown): DeviceReport {
  if (error instanceof DmRefusal) return refusalReport(operation, error);
  throw error;
}

import type { DeviceReport, OneM2MOperation } from '../../../core/device-adapter.js';
import type { CommandOutcome } from './command-dispatch.js';
import { DmRefusal, refusalReport } from './refusal.js';

export function dmReport(operation: OneM2MOperation, code: number | string, extra: Omit<DeviceReport, 'technology' | 'operation' | 'code'> = {}): DeviceReport {
  return { technology: 'omadm13', operation, code: String(code), ...extra };
}

/** The report of a command that got no answer: never sent (no session came in time), or sent and never answered. */
export function unansweredReport(operation: OneM2MOperation, outcome: Exclude<CommandOutcome, { answer: unknown }>): DeviceReport {
  if ('queueFull' in outcome) return dmReport(operation, 'queue-full', { detail: `(${outcome.queueFull}; nothing was queued)` });
  if ('unreachable' in outcome) return dmReport(operation, 'trigger-failed', { detail: `(${outcome.unreachable}; the commands were withdrawn, nothing was sent)` });
  if ('unsent' in outcome) {
    return dmReport(operation, 'session-timeout', { detail: '(the device opened no management session before the request ended; its commands were withdrawn, nothing was sent)' });
  }
  return dmReport(operation, 'timeout', { detail: `(the commands were sent but ${outcome.lost}; whether the device carried them out is unknown)` });
}

/** The report of a refusal before anything was sent; anything else thrown is a defect and rethrown. */
export function reportOfRefusal(operation: OneM2MOperation, error: unknown): DeviceReport {
  if (error instanceof DmRefusal) return refusalReport(operation, error);
  throw error;
}

import type { DeviceOutcome } from '../../core/device-adapter.js';
import type { Lwm2mOperation, MappingSet } from '../../mappings/types.js';
import { DeviceStepError, RequestRefusedError } from './errors.js';

/** Steps already completed on the device when a later step failed, e.g. `write /5/0/1`. */
export type CompletedSteps = readonly string[];

/** What is known about the device's state after a failed step: only what its answers (or their absence) show. Reads change nothing. */
function stateSuffix(error: DeviceStepError, done: CompletedSteps): string {
  const earlier = done.length ? `already done: ${done.join(', ')}` : undefined;
  if (error.operation === 'read' && !earlier) return '';
  switch (error.delivery) {
    case 'unanswered':
      // the request went out: the device may have carried it out and its answer been lost
      return `; no answer came, so whether the device carried out ${error.step} is unknown${earlier ? `; ${earlier}` : ''}`;
    case 'unsent':
      return earlier ? `; ${error.step} was never sent; ${earlier}` : '; nothing was sent to the device';
    case 'answered':
      return earlier ? `; ${earlier}` : '; nothing was changed on the device';
  }
}

export function successOutcome(table: MappingSet, operation: Lwm2mOperation, code: string, extra: Partial<DeviceOutcome> = {}): DeviceOutcome {
  const row = table.status('lwm2m', operation, code);
  return { rsc: row.rsc, final: row.final, ...extra };
}

export function failureOutcome(table: MappingSet, error: DeviceStepError, done: CompletedSteps = []): DeviceOutcome {
  const row = table.status('lwm2m', error.operation, error.code);
  const dbg = `${row.label} (LwM2M ${error.message} → ${error.code})${stateSuffix(error, done)}`;
  return { rsc: row.rsc, final: row.final, dbg };
}

export function refusalOutcome(table: MappingSet, error: RequestRefusedError): DeviceOutcome {
  const { refusal } = error;
  if ('rsc' in refusal) return { rsc: refusal.rsc, final: true, dbg: `${error.message} (nothing sent to the device)` };
  const row = table.status('lwm2m', refusal.operation, refusal.code);
  return { rsc: row.rsc, final: row.final, dbg: `${row.label} (${refusal.code} without asking the device): ${error.message}` };
}

/** Maps what an operation threw to an outcome; anything that is not a device or refusal error is a defect and rethrown. */
export function outcomeOfError(table: MappingSet, error: unknown, done: CompletedSteps = []): DeviceOutcome {
  if (error instanceof DeviceStepError) return failureOutcome(table, error, done);
  if (error instanceof RequestRefusedError) return refusalOutcome(table, error);
  throw error;
}

import type { DeviceReport, Lwm2mOperation } from '../../core/device-adapter.js';
import { DeviceStepError, RequestRefusedError } from './errors.js';

/** Steps already completed on the device when a later step failed, e.g. `write /5/0/1`. */
export type CompletedSteps = readonly string[];

/** What a report carries besides its status: the values the device reported or confirmed. */
export type ReportedValues = Pick<DeviceReport, 'attributes' | 'leftOut' | 'obis' | 'obps'>;

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

export function successReport(operation: Lwm2mOperation, code: string, values: ReportedValues = {}): DeviceReport {
  return { technology: 'lwm2m', operation, code, ...values };
}

function failureReport(error: DeviceStepError, done: CompletedSteps = []): DeviceReport {
  return { technology: 'lwm2m', operation: error.operation, code: error.code, detail: `(LwM2M ${error.message} → ${error.code})${stateSuffix(error, done)}` };
}

/** A refusal of `operation` before anything was sent. */
function refusalReport(operation: Lwm2mOperation, error: RequestRefusedError): DeviceReport {
  return { technology: 'lwm2m', operation, code: error.code, detail: `(${error.code} without asking the device): ${error.message}` };
}

/**
 * Reports what an operation threw: a failed step under its own operation, a refusal under `operation` (the one
 * refused). Anything that is neither is a defect and rethrown.
 */
export function reportOfError(operation: Lwm2mOperation, error: unknown, done: CompletedSteps = []): DeviceReport {
  if (error instanceof DeviceStepError) return failureReport(error, done);
  if (error instanceof RequestRefusedError) return refusalReport(operation, error);
  throw error;
}

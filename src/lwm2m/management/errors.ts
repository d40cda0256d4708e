import type { Lwm2mOperation, ProxyOutcome } from '../../core/device-adapter.js';

/** A CoAP response code as the status tables write it, e.g. `4.05`. */
export type CoapCode = `${number}.${number}`;

/** The endpoint has no live registration (never registered, de-registered or expired). */
export class NotRegisteredError extends Error {}

/** A queue-mode device stayed asleep until the request's deadline; the request was never sent. */
export class DeviceSleepingError extends Error {}

/**
 * What the proxy knows about a failed step reaching the device: `answered` (the device sent a code or payload),
 * `unanswered` (the request went out and no answer came: the device may have acted on it) or `unsent`.
 */
export type StepDelivery = 'answered' | 'unanswered' | 'unsent';

/**
 * A device exchange that did not succeed. `code` is the key of the LwM2M status table:
 * a CoAP code (`4.04`) or a transport outcome (`timeout`, `not-registered`, `sleeping`, `decode-error`).
 */
export class DeviceStepError extends Error {
  constructor(
    readonly operation: Lwm2mOperation,
    readonly code: string,
    /** What was attempted, e.g. `execute /5/0/2`. */
    readonly step: string,
    detail?: string,
    readonly delivery: StepDelivery = 'answered',
  ) {
    super(detail ? `${step}: ${detail}` : step);
  }
}

/**
 * The oneM2M request cannot be turned into LwM2M operations; refused before anything is sent. `code` is the status
 * table key of the refusal: a proxy outcome (`unmapped`, `no-instance`, `invalid-value`) or a CoAP code the device
 * would answer (`4.05` for a read-only resource), looked up in the row of the operation that was refused.
 */
export class RequestRefusedError extends Error {
  constructor(
    readonly code: ProxyOutcome | CoapCode,
    message: string,
  ) {
    super(message);
  }
}

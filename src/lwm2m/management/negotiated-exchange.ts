import type { DeviceCallContext } from '../../core/device-adapter.js';
import type { Lwm2mOperation } from '../../mappings/types.js';
import type { CoapRequestSpec } from '../downlink.js';
import { decodeContent } from '../formats/index.js';
import type { Lwm2mPath, ResourceValue } from '../formats/model.js';
import { describeStep, type Exchange } from './device-channel.js';
import { DeviceStepError } from './errors.js';
import type { ManagementContext } from './management-context.js';

/** The device cannot produce (4.06) or parse (4.15) the format: worth trying the next one. */
function formatRefused(code: string): boolean {
  return code === '4.06' || code === '4.15';
}

export interface FormatExchange {
  exchange: Exchange;
  format: number;
}

/** Sends the request in each format in turn until the device accepts one (formats must not be empty). */
export async function exchangeInFormats(
  io: ManagementContext,
  endpoint: string,
  operation: Lwm2mOperation,
  formats: readonly number[],
  request: (format: number) => CoapRequestSpec,
  ctx: DeviceCallContext,
): Promise<FormatExchange> {
  let last: FormatExchange | undefined;
  for (const format of formats) {
    last = { exchange: await io.channel.exchange(endpoint, operation, request(format), ctx), format };
    if (!formatRefused(last.exchange.code)) return last;
  }
  if (!last) throw new Error('exchangeInFormats needs at least one format');
  return last;
}

/** Throws the status-table key of an unexpected answer. */
export function expectCode(exchange: Exchange, expected: string, operation: Lwm2mOperation, path: Lwm2mPath): void {
  if (exchange.code !== expected) throw new DeviceStepError(operation, exchange.code, describeStep(operation, path));
}

/** A decoded value as the callers of one shared read hold it together: frozen (an opaque value's bytes excepted). */
function sharedValue(value: ResourceValue): ResourceValue {
  Object.freeze(value.path);
  // an object link ({objectId, instanceId}) is shared too; a Buffer cannot be frozen
  if (typeof value.value === 'object' && value.value !== null && !Buffer.isBuffer(value.value)) Object.freeze(value.value);
  return Object.freeze(value);
}

/**
 * Decodes an answer in the format it declares (or the one asked for); anything undecodable becomes the `decode-error`
 * outcome. The callers of one shared read decode its answer once: each gets its own array of the same frozen values.
 */
export function decodeAnswer(io: ManagementContext, found: FormatExchange, path: Lwm2mPath): ResourceValue[] {
  const format = found.exchange.contentFormat ?? found.format;
  const shared = found.exchange.sharedWork;
  const key = shared && `decoded ${format} /${path.join('/')}`;
  const known = key === undefined ? undefined : (shared!.get(key) as readonly ResourceValue[] | undefined);
  if (known) return [...known];
  let values: ResourceValue[];
  try {
    values = decodeContent(format, found.exchange.payload, path, io.types);
  } catch (error) {
    throw new DeviceStepError('read', 'decode-error', describeStep('read', path), `content format ${format}: ${(error as Error).message}`);
  }
  if (key === undefined) return values;
  shared!.set(key, values.map(sharedValue));
  return [...values];
}

/**
 * A time-out on a multi-value request to a client that never answered one may be the quirk of text-only clients
 * (lwm2m-node-lib stays silent instead of answering 4.06): worth one try in plain text.
 */
export function mayBeTextOnlyClient(io: ManagementContext, endpoint: string, error: unknown): error is DeviceStepError {
  return error instanceof DeviceStepError && error.code === 'timeout' && !io.formats.hasProvenFormat(endpoint);
}

/**
 * Runs the plain-text fallback after `probeFailure`, the multi-value request that got no answer. When the fallback
 * cannot even be sent (the deadline passed), the device's silence to the probe is what is known, so that is the failure.
 */
export async function afterSilentProbe<T>(probeFailure: DeviceStepError, fallback: () => Promise<T>): Promise<T> {
  try {
    return await fallback();
  } catch (error) {
    if (error instanceof DeviceStepError && error.delivery === 'unsent') throw probeFailure;
    throw error;
  }
}

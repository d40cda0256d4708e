import type { DeviceCallContext } from '../../core/device-adapter.js';
import { ContentFormat } from '../formats/index.js';
import type { ResourceValue } from '../formats/model.js';
import { describeStep } from './device-channel.js';
import { DeviceStepError } from './errors.js';
import type { ManagementContext } from './management-context.js';
import { afterSilentProbe, decodeAnswer, exchangeInFormats, expectCode, mayBeTextOnlyClient } from './negotiated-exchange.js';
import type { InstanceRef } from './object-path.js';

/** Answers to a single-resource Read that mean "this resource is not there (or not readable)", not "the device failed". */
const ABSENT_CODES = new Set(['4.04', '4.05', '4.06', '4.15']);

/**
 * Reads resources one by one (`GET /oid/iid/rid`): plain text first for single resources, multi-value formats for
 * multiple ones. On text-only clients (known, or `probingTextOnly`) multiple and opaque resources are skipped.
 * Resources the device lacks stay absent; when none answers, the first refusal is the outcome.
 */
export async function readResources(
  io: ManagementContext,
  endpoint: string,
  instance: InstanceRef,
  resourceIds: readonly number[],
  ctx: DeviceCallContext,
  probingTextOnly = false,
): Promise<ResourceValue[]> {
  const client = io.channel.client(endpoint, 'read', describeStep('read', [instance.objectId, instance.instanceId]));
  const textOnly = probingTextOnly || io.formats.isTextOnly(endpoint);
  const multiValue = textOnly ? [] : io.formats.multiValueFormats(client);
  const values: ResourceValue[] = [];
  let firstRefusal: DeviceStepError | undefined;
  for (const resourceId of resourceIds) {
    const path = [instance.objectId, instance.instanceId, resourceId];
    const multiple = io.isMultipleResource(instance.objectId, resourceId);
    // LwM2M 1.0 text carries no opaque data: a text-only client would not answer at all
    if (textOnly && (multiple || io.types(instance.objectId, resourceId) === 'opaque')) continue;
    const formats = multiple ? multiValue : [ContentFormat.TEXT, ...multiValue];
    const found = await exchangeInFormats(io, endpoint, 'read', formats, (accept) => ({ method: 'GET', path: path.map(String), accept }), ctx);
    if (found.exchange.code === '2.05') values.push(...decodeAnswer(io, found, path));
    else if (ABSENT_CODES.has(found.exchange.code)) firstRefusal ??= new DeviceStepError('read', found.exchange.code, describeStep('read', path));
    else expectCode(found.exchange, '2.05', 'read', path);
  }
  if (values.length === 0 && firstRefusal) throw firstRefusal;
  return values;
}

/**
 * Reads a whole object instance in the best multi-value format the client accepts (4.06 / 4.15 → next format).
 * A client that never answered a multi-value request and times out on one is asked resource by resource in
 * plain text (`fallbackResources`); if that works the endpoint is remembered as text-only.
 */
export async function readInstance(
  io: ManagementContext,
  endpoint: string,
  instance: InstanceRef,
  fallbackResources: readonly number[],
  ctx: DeviceCallContext,
): Promise<ResourceValue[]> {
  const path = [instance.objectId, instance.instanceId];
  const client = io.channel.client(endpoint, 'read', describeStep('read', path));
  const formats = io.formats.multiValueFormats(client);
  const readAsText = async () => {
    const values = await readResources(io, endpoint, instance, fallbackResources, ctx, true);
    io.formats.remember(endpoint, 'text');
    return values;
  };
  if (formats.length === 0) return readAsText();
  try {
    const found = await exchangeInFormats(io, endpoint, 'read', formats, (accept) => ({ method: 'GET', path: path.map(String), accept }), ctx);
    expectCode(found.exchange, '2.05', 'read', path);
    const values = decodeAnswer(io, found, path);
    io.formats.remember(endpoint, found.format);
    return values;
  } catch (error) {
    if (!mayBeTextOnlyClient(io, endpoint, error)) throw error;
    return afterSilentProbe(error, readAsText);
  }
}

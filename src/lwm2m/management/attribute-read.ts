import type { DeviceCallContext } from '../../devices/adapter.js';
import type { ConverterRegistry, Lwm2mAttributeMapping, Lwm2mMgmtObjMapping } from '../../mappings/types.js';
import { Lwm2mDecodeError, type ResourceValue } from '../formats/model.js';
import { describeStep } from './device-channel.js';
import { readInstance, readResources } from './device-read.js';
import { DeviceStepError } from './errors.js';
import type { ManagementContext } from './management-context.js';
import type { InstanceRef } from './object-path.js';
import { attributesFromDevice, valuesByResource } from './value-conversion.js';

/**
 * Reads what `attributes` need from one object instance: one Read of the instance, or with `oneByOne` (a partial
 * retrieve) one Read per resource. Nothing is sent when no attribute has a resource to read.
 */
export async function readForAttributes(
  io: ManagementContext,
  endpoint: string,
  instance: InstanceRef,
  attributes: readonly Lwm2mAttributeMapping[],
  ctx: DeviceCallContext,
  oneByOne = false,
): Promise<ResourceValue[]> {
  const resourceIds = [...new Set(attributes.flatMap((attribute) => attribute.resources))];
  if (resourceIds.length === 0) return [];
  return oneByOne ? readResources(io, endpoint, instance, resourceIds, ctx) : readInstance(io, endpoint, instance, resourceIds, ctx);
}

/** A mgmtObj's attributes from the values read of its instance; values that do not convert are the `decode-error` outcome. */
export function attributesOfInstance(
  converters: ConverterRegistry,
  mapping: Lwm2mMgmtObjMapping,
  instance: InstanceRef,
  values: readonly ResourceValue[],
  wanted?: ReadonlySet<string>,
): Record<string, unknown> {
  try {
    return attributesFromDevice(mapping, valuesByResource(values, instance), converters, wanted);
  } catch (error) {
    if (!(error instanceof Lwm2mDecodeError)) throw error;
    throw new DeviceStepError('read', 'decode-error', describeStep('read', [instance.objectId, instance.instanceId]), error.message);
  }
}

import type { DeviceCallContext } from '../../core/device-adapter.js';
import type { ConverterRegistry, Lwm2mAttributeMapping, Lwm2mMgmtObjMapping } from '../../mappings/types.js';
import type { ResourceValue } from '../formats/model.js';
import { describeStep } from './device-channel.js';
import { readInstance, readResources } from './device-read.js';
import { DeviceStepError } from './errors.js';
import type { ManagementContext } from './management-context.js';
import type { InstanceRef } from './object-path.js';
import { attributesFromDevice, valuesByResource, type DeviceAttributes } from './value-conversion.js';

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

/**
 * A mgmtObj's attributes from the values read of its instance. A value that does not convert leaves only its attribute
 * out (named in `leftOut`); when the device reported values and none of them converts, that is the `decode-error` outcome.
 */
export function attributesOfInstance(
  converters: ConverterRegistry,
  mapping: Lwm2mMgmtObjMapping,
  instance: InstanceRef,
  values: readonly ResourceValue[],
  wanted?: ReadonlySet<string>,
): DeviceAttributes {
  const converted = attributesFromDevice(mapping, valuesByResource(values, instance), converters, wanted);
  if (converted.leftOut.length > 0 && Object.keys(converted.attributes).length === 0) {
    const reasons = converted.leftOut.map((left) => left.reason).join('; ');
    throw new DeviceStepError('read', 'decode-error', describeStep('read', [instance.objectId, instance.instanceId]), reasons);
  }
  return converted;
}

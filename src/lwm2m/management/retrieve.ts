import type { DeviceCallContext, DeviceOutcome, DeviceRef, MgmtObjRef } from '../../devices/adapter.js';
import type { Lwm2mMgmtObjMapping, MappingSet } from '../../mappings/types.js';
import type { ResourceValue } from '../formats/model.js';
import { describeStep } from './device-channel.js';
import { readInstance, readResources } from './device-read.js';
import { DeviceStepError } from './errors.js';
import { instanceOf, type InstanceRef } from './object-path.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import { outcomeOfError, successOutcome } from './outcome.js';
import { attributesFromDevice, readableAttributes, valuesByResource, type DeviceAttributes } from './value-conversion.js';

/** The converted attributes; a decode error when the device reported values and none of them converts. */
function convert(deps: OperationDeps, mapping: Lwm2mMgmtObjMapping, instance: InstanceRef, values: ResourceValue[], wanted?: ReadonlySet<string>): DeviceAttributes {
  const converted = attributesFromDevice(mapping, valuesByResource(values, instance), deps.converters, wanted);
  if (converted.leftOut.length > 0 && Object.keys(converted.attributes).length === 0) {
    const reasons = converted.leftOut.map((left) => left.reason).join('; ');
    throw new DeviceStepError('read', 'decode-error', describeStep('read', [instance.objectId, instance.instanceId]), reasons);
  }
  return converted;
}

async function cache(deps: OperationDeps, device: DeviceRef, obj: MgmtObjRef, attributes: Record<string, unknown>): Promise<void> {
  if (Object.keys(attributes).length === 0) return;
  try {
    await deps.directory.cacheAttributes('lwm2m', device.deviceId, obj.rn, attributes);
  } catch (err) {
    deps.logger.warn({ err, deviceId: device.deviceId, rn: obj.rn }, 'caching attributes read from the device failed');
  }
}

/** Retrieve: Read of the instance (or of just the `atrl` resources), converted to the mgmtObj's attributes. */
export async function retrieveMgmtObj(
  deps: OperationDeps,
  table: MappingSet,
  device: DeviceRef,
  obj: MgmtObjRef,
  attributeList: string[] | undefined,
  ctx: DeviceCallContext,
): Promise<DeviceOutcome> {
  try {
    const mapping = mappingOf(table, obj);
    const instance = instanceOf(mapping, obj);
    const wanted = attributeList ? new Set(attributeList) : undefined;
    const resourceIds = [...new Set(readableAttributes(mapping, wanted).flatMap((attribute) => attribute.resources))];
    const values = wanted
      ? await readResources(deps.io, device.deviceId, instance, resourceIds, ctx)
      : await readInstance(deps.io, device.deviceId, instance, resourceIds, ctx);
    const { attributes, leftOut } = convert(deps, mapping, instance, values, wanted);
    await cache(deps, device, obj, attributes);
    return successOutcome(table, 'read', '2.05', { attributes, ...(leftOut.length > 0 ? { leftOut } : {}) });
  } catch (error) {
    return outcomeOfError(table, error);
  }
}

import type { DeviceCallContext, DeviceOutcome, DeviceRef, MgmtObjRef } from '../../devices/adapter.js';
import type { Lwm2mMgmtObjMapping, MappingSet } from '../../mappings/types.js';
import { ContentFormat, encodeContent } from '../formats/index.js';
import type { ResourceValue } from '../formats/model.js';
import { describeStep } from './device-channel.js';
import { exchangeInFormats, expectCode } from './negotiated-exchange.js';
import { objectUrn } from '../registration/device-publication.js';
import { formatObjectPath, instanceOf, parseObjectPath, type InstanceRef } from './object-path.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import { outcomeOfError, successOutcome } from './outcome.js';
import { toResourceValue } from './value-conversion.js';

function registeredInstances(objects: readonly number[][], objectId: number): Set<number> {
  return new Set(objects.filter((link) => link[0] === objectId && link.length > 1).map((link) => link[1]));
}

function lowestFreeInstance(used: ReadonlySet<number>): number {
  let instanceId = 0;
  while (used.has(instanceId)) instanceId++;
  return instanceId;
}

/** The writable attributes given on Create, as resource values of the new instance. */
function initialValues(deps: OperationDeps, mapping: Lwm2mMgmtObjMapping, obj: MgmtObjRef, target: InstanceRef): ResourceValue[] {
  const values: ResourceValue[] = [];
  for (const attribute of mapping.attributes) {
    if (attribute.executable || attribute.access === 'R' || obj.attrs[attribute.attribute] === undefined) continue;
    const path = [target.objectId, target.instanceId, attribute.resources[0]];
    const type = deps.io.types(target.objectId, attribute.resources[0]);
    values.push({ path, value: toResourceValue(attribute, obj.attrs[attribute.attribute], `/${path.join('/')}`, deps.converters, type) });
  }
  return values;
}

/** The instance the device created: from the answer's Location-Path when present, else the one the payload named. */
function createdInstance(locationPath: string[] | undefined, target: InstanceRef): InstanceRef {
  const fromLocation = locationPath ? parseObjectPath(`/${locationPath.join('/')}`) : undefined;
  return fromLocation?.objectId === target.objectId ? fromLocation : target;
}

/**
 * Create: binds to the instance named by `obps` (or the single instance) when the device registered it; otherwise
 * LwM2M Create on the object with the writable attributes given. The device answering 4.00 means it already exists.
 */
export async function createMgmtObj(deps: OperationDeps, table: MappingSet, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceOutcome> {
  try {
    const mapping = mappingOf(table, obj);
    const objectPath = [mapping.objectId];
    const client = deps.io.channel.client(device.deviceId, 'create', describeStep('create', objectPath));
    const existing = registeredInstances(client.objects, mapping.objectId);
    const target = obj.obps?.length
      ? instanceOf(mapping, obj)
      : { objectId: mapping.objectId, instanceId: mapping.multiInstance ? lowestFreeInstance(existing) : 0 };
    const located = (instance: InstanceRef) => ({ obis: [objectUrn(instance.objectId)], obps: [formatObjectPath(client.rootPath, instance)] });
    if (existing.has(target.instanceId)) return successOutcome(table, 'create', '2.01', located(target));

    const values = initialValues(deps, mapping, obj, target);
    const formats = deps.io.formats.multiValueFormats(client);
    const found = await exchangeInFormats(
      deps.io,
      device.deviceId,
      'create',
      formats.length > 0 ? formats : [ContentFormat.TLV],
      (contentFormat) => ({ method: 'POST', path: objectPath.map(String), contentFormat, payload: encodeContent(contentFormat, values, objectPath, deps.io.types) }),
      ctx,
    );
    expectCode(found.exchange, '2.01', 'create', objectPath);
    return successOutcome(table, 'create', '2.01', located(createdInstance(found.exchange.locationPath, target)));
  } catch (error) {
    return outcomeOfError(table, error);
  }
}

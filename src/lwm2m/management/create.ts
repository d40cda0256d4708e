import type { DeviceCallContext, DeviceReport, DeviceRef, MgmtObjRef } from '../../core/device-adapter.js';
import type { Lwm2mMgmtObjMapping, MappingSet } from '../../mappings/types.js';
import type { Lwm2mClientInfo } from '../downlink.js';
import { ContentFormat, encodeContent } from '../formats/index.js';
import type { ResourceValue } from '../formats/model.js';
import { objectUrn } from '../registration/device-publication.js';
import { attributesOfInstance, readForAttributes } from './attribute-read.js';
import { describeStep } from './device-channel.js';
import { DeviceStepError } from './errors.js';
import { exchangeInFormats, expectCode, type FormatExchange } from './negotiated-exchange.js';
import { formatObjectPath, instanceOf, parseObjectPath, type InstanceRef } from './object-path.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import { reportOfError, successReport } from './device-report.js';
import { readableAttributes, toResourceValue } from './value-conversion.js';

function lowestFreeInstance(used: ReadonlySet<number>): number {
  let instanceId = 0;
  while (used.has(instanceId)) instanceId++;
  return instanceId;
}

/** Attributes no mapping row covers: not the device's to confirm, so they stand as the CSE gave them. */
function unmappedAttributes(mapping: Lwm2mMgmtObjMapping, obj: MgmtObjRef): Record<string, unknown> {
  const mapped = new Set(mapping.attributes.map((attribute) => attribute.attribute));
  return Object.fromEntries(Object.entries(obj.attrs).filter(([name]) => !mapped.has(name)));
}

interface InitialValues {
  values: ResourceValue[];
  /** The attributes those values carry, as the CSE gave them. */
  attributes: Record<string, unknown>;
}

/** The writable attributes given on Create, as resource values of the new instance. */
function initialValues(deps: OperationDeps, mapping: Lwm2mMgmtObjMapping, obj: MgmtObjRef, target: InstanceRef): InitialValues {
  const initial: InitialValues = { values: [], attributes: {} };
  for (const attribute of mapping.attributes) {
    const given = obj.attrs[attribute.attribute];
    if (attribute.executable || attribute.access === 'R' || given === undefined) continue;
    const path = [target.objectId, target.instanceId, attribute.resources[0]];
    const type = deps.io.types(target.objectId, attribute.resources[0]);
    initial.values.push({ path, value: toResourceValue(attribute, given, `/${path.join('/')}`, deps.converters, type) });
    initial.attributes[attribute.attribute] = given;
  }
  return initial;
}

/** The instance the device created: from the answer's Location-Path when present, else the one the payload named. */
function createdInstance(locationPath: string[] | undefined, target: InstanceRef): InstanceRef {
  const fromLocation = locationPath ? parseObjectPath(`/${locationPath.join('/')}`) : undefined;
  return fromLocation?.objectId === target.objectId ? fromLocation : target;
}

/** LwM2M Create on the object with the initial values, in the best multi-value format the client accepts. */
function postInstance(deps: OperationDeps, endpoint: string, client: Lwm2mClientInfo, values: ResourceValue[], objectId: number, ctx: DeviceCallContext): Promise<FormatExchange> {
  const objectPath = [objectId];
  const formats = deps.io.formats.multiValueFormats(client);
  return exchangeInFormats(
    deps.io,
    endpoint,
    'create',
    formats.length > 0 ? formats : [ContentFormat.TLV],
    (contentFormat) => ({ method: 'POST', path: objectPath.map(String), contentFormat, payload: encodeContent(contentFormat, values, objectPath, deps.io.types) }),
    ctx,
  );
}

/** What the device reports for the instance it just created; nothing when that Read fails (the instance exists all the same). */
async function readBack(deps: OperationDeps, endpoint: string, mapping: Lwm2mMgmtObjMapping, instance: InstanceRef, ctx: DeviceCallContext): Promise<Record<string, unknown>> {
  try {
    const values = await readForAttributes(deps.io, endpoint, instance, readableAttributes(mapping), ctx);
    return attributesOfInstance(deps.converters, mapping, instance, values).attributes;
  } catch (error) {
    if (!(error instanceof DeviceStepError)) throw error;
    deps.logger.warn({ err: error, endpoint, instance }, 'reading back a created instance failed; answering only the values its Create carried');
    return {};
  }
}

/** The instance the CSE named in `obps` (or the single instance of a single-instance object), if any. */
function namedInstance(mapping: Lwm2mMgmtObjMapping, obj: MgmtObjRef): InstanceRef | undefined {
  if (obj.obps?.length) return instanceOf(mapping, obj);
  return mapping.multiInstance ? undefined : { objectId: mapping.objectId, instanceId: 0 };
}

function located(client: Lwm2mClientInfo, instance: InstanceRef): Pick<DeviceReport, 'obis' | 'obps'> {
  return { obis: [objectUrn(instance.objectId)], obps: [formatObjectPath(client.rootPath, instance)] };
}

/** Create, holding the endpoint's queue slot: no other request to the device between choosing the instance and reading it back. */
async function createInSlot(deps: OperationDeps, device: DeviceRef, obj: MgmtObjRef, mapping: Lwm2mMgmtObjMapping, ctx: DeviceCallContext): Promise<DeviceReport> {
  const endpoint = device.deviceId;
  const objectPath = [mapping.objectId];
  const client = deps.io.channel.client(endpoint, 'create', describeStep('create', objectPath));
  const named = namedInstance(mapping, obj);
  const free = () => lowestFreeInstance(deps.instances.instanceIds(client, mapping.objectId));
  let target = named ?? { objectId: mapping.objectId, instanceId: free() };
  let initial = initialValues(deps, mapping, obj, target);
  let found = await postInstance(deps, endpoint, client, initial.values, mapping.objectId, ctx);
  if (found.exchange.code === '4.00' && !named) {
    // "already exists": the client holds an instance its registration does not list yet; the proxy chose the ID, so it picks the next
    deps.instances.exists(client, target);
    target = { ...target, instanceId: free() };
    initial = initialValues(deps, mapping, obj, target);
    found = await postInstance(deps, endpoint, client, initial.values, mapping.objectId, ctx);
  }
  expectCode(found.exchange, '2.01', 'create', objectPath);
  const created = createdInstance(found.exchange.locationPath, target);
  deps.instances.exists(client, created);
  const reported = await readBack(deps, endpoint, mapping, created, ctx);
  return successReport('create', '2.01', { ...located(client, created), attributes: { ...unmappedAttributes(mapping, obj), ...initial.attributes, ...reported } });
}

/**
 * Create: binds to the instance named by `obps` (or the single instance) when the device has it; otherwise LwM2M
 * Create on the object with the writable attributes given, then a Read of the new instance. The attributes reported are
 * those the device acknowledged (the values its Create carried) or reported, plus those no mapping row covers.
 * The device answering 4.00 means it already exists.
 */
export async function createMgmtObj(deps: OperationDeps, table: MappingSet, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
  try {
    const mapping = mappingOf(table, obj);
    const step = describeStep('create', [mapping.objectId]);
    const client = deps.io.channel.client(device.deviceId, 'create', step);
    const named = namedInstance(mapping, obj);
    // Binding to an instance the device has sends nothing, so none of the device's values is confirmed: a Retrieve reads them.
    if (named && deps.instances.instanceIds(client, named.objectId).has(named.instanceId)) {
      return successReport('create', '2.01', { ...located(client, named), attributes: unmappedAttributes(mapping, obj) });
    }
    return await deps.io.channel.inSlot(device.deviceId, 'create', step, ctx, (channel) =>
      createInSlot({ ...deps, io: { ...deps.io, channel } }, device, obj, mapping, ctx),
    );
  } catch (error) {
    return reportOfError('create', error);
  }
}

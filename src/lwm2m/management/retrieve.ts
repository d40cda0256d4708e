import type { DeviceCallContext, DeviceReport, DeviceRef, MgmtObjRef } from '../../core/device-adapter.js';
import type { Lwm2mMgmtObjMapping, MappingSet } from '../../mappings/types.js';
import type { ResourceValue } from '../formats/model.js';
import { attributesOfInstance, readForAttributes } from './attribute-read.js';
import { instanceOf, type InstanceRef } from './object-path.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import { reportOfError, successReport } from './device-report.js';
import { readableAttributes } from './value-conversion.js';

/** The report of values read; the core stores the attributes it answers with (one store per Retrieve). */
function answerFromValues(
  deps: OperationDeps,
  mapping: Lwm2mMgmtObjMapping,
  instance: InstanceRef,
  values: readonly ResourceValue[],
  wanted?: ReadonlySet<string>,
): DeviceReport {
  try {
    const { attributes, leftOut } = attributesOfInstance(deps.converters, mapping, instance, values, wanted);
    return successReport('read', '2.05', { attributes, ...(leftOut.length > 0 ? { leftOut } : {}) });
  } catch (error) {
    return reportOfError('read', error);
  }
}

/** Partial retrieve (`atrl`): one Read per resource the listed attributes need, none when they need none. */
export async function retrieveMgmtObj(
  deps: OperationDeps,
  table: MappingSet,
  device: DeviceRef,
  obj: MgmtObjRef,
  attributeList: string[] | undefined,
  ctx: DeviceCallContext,
): Promise<DeviceReport> {
  if (!attributeList) return (await retrieveMgmtObjs(deps, table, device, [obj], ctx))[0];
  try {
    const mapping = mappingOf(table, obj);
    const instance = instanceOf(mapping, obj);
    const wanted = new Set(attributeList);
    const values = await readForAttributes(deps.io, device.deviceId, instance, readableAttributes(mapping, wanted), ctx, true);
    return answerFromValues(deps, mapping, instance, values, wanted);
  } catch (error) {
    return reportOfError('read', error);
  }
}

/**
 * Retrieve of mgmtObjs of one device: each object instance is read once, for the attributes of every mgmtObj on it
 * (deviceInfo, memory, battery and reboot all live in /3/0), and not at all when none of them has a readable attribute.
 * A failed Read is the report of every mgmtObj on that instance. Reports in the order of `objs`.
 */
export async function retrieveMgmtObjs(deps: OperationDeps, table: MappingSet, device: DeviceRef, objs: readonly MgmtObjRef[], ctx: DeviceCallContext): Promise<DeviceReport[]> {
  const reports: DeviceReport[] = [];
  const byInstance = new Map<string, { instance: InstanceRef; members: Array<{ index: number; obj: MgmtObjRef; mapping: Lwm2mMgmtObjMapping }> }>();
  objs.forEach((obj, index) => {
    try {
      const mapping = mappingOf(table, obj);
      const instance = instanceOf(mapping, obj);
      const key = `${instance.objectId}/${instance.instanceId}`;
      const group = byInstance.get(key) ?? { instance, members: [] };
      group.members.push({ index, obj, mapping });
      byInstance.set(key, group);
    } catch (error) {
      reports[index] = reportOfError('read', error);
    }
  });
  for (const { instance, members } of byInstance.values()) {
    let values: ResourceValue[];
    try {
      values = await readForAttributes(deps.io, device.deviceId, instance, members.flatMap((member) => readableAttributes(member.mapping)), ctx);
    } catch (error) {
      const failed = reportOfError('read', error);
      for (const member of members) reports[member.index] = failed;
      continue;
    }
    for (const member of members) reports[member.index] = answerFromValues(deps, member.mapping, instance, values);
  }
  return reports;
}

import type { DeviceCallContext, DeviceReport, DeviceRef, MgmtObjRef } from '../../core/device-adapter.js';
import type { Lwm2mAttributeMapping, Lwm2mMgmtObjMapping, MappingSet } from '../../mappings/types.js';
import { executeResource, writeValues } from './device-write.js';
import { instanceOf } from './object-path.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import { reportOfError, successReport } from './device-report.js';
import { progressJob } from './progress-job.js';
import { planUpdate, type ExecuteStep, type UpdatePlan, type UpdateProgress } from './update-plan.js';

/** The written attributes whose Write the device acknowledged, as the CSE sent them. */
function acknowledgedValues(plan: UpdatePlan | undefined, progress: UpdateProgress): Record<string, unknown> {
  return Object.fromEntries(progress.written.map((attribute) => [attribute, plan?.written[attribute]]));
}

/** The last executed attribute whose work is followed (`progress` in the table), with its status attribute. */
function lastFollowed(mapping: Lwm2mMgmtObjMapping, executes: readonly ExecuteStep[]): { attribute: Lwm2mAttributeMapping; status: Lwm2mAttributeMapping } | undefined {
  for (const step of [...executes].reverse()) {
    const attribute = mapping.byAttribute.get(step.attribute);
    const status = attribute?.progress && mapping.byAttribute.get(attribute.progress.status);
    if (attribute && status) return { attribute, status };
  }
  return undefined;
}

/**
 * Update: Write of the changed normal attributes, then Execute of each executable attribute set to true, in table order
 * (TS-0004 §7.4.15.2.4). The first failure stops the sequence; its dbg names what had already been done, and the
 * report still carries the writes the device acknowledged before it.
 */
export async function updateMgmtObj(
  deps: OperationDeps,
  table: MappingSet,
  device: DeviceRef,
  obj: MgmtObjRef,
  changes: Record<string, unknown>,
  ctx: DeviceCallContext,
): Promise<DeviceReport> {
  const progress: UpdateProgress = { steps: [], written: [] };
  let plan: UpdatePlan | undefined;
  try {
    const mapping = mappingOf(table, obj);
    const instance = instanceOf(mapping, obj);
    plan = planUpdate(mapping, changes, instance, deps.converters, deps.io.types);
    if (plan.writes.length === 0 && plan.executes.length === 0) return successReport('write', 'nothing-to-send', { attributes: plan.written });
    if (plan.writes.length > 0) await writeValues(deps.io, device.deviceId, instance, plan.writes, ctx, progress);
    for (const step of plan.executes) progress.steps.push(await executeResource(deps.io, device.deviceId, instance, step, ctx));
    const followed = lastFollowed(mapping, plan.executes);
    if (!followed || !deps.progress) return successReport(plan.executes.length > 0 ? 'execute' : 'write', '2.04', { attributes: plan.written });
    // the device accepted work that ends later (TS-0004: uds In_Process until then); a device that reboots to flash
    // may not answer again for a while, so this is said at once
    const { attribute, status } = followed;
    const job = progressJob(attribute.attribute, instance, status.resources);
    const accepted = successReport('execute', '2.04', { attributes: { ...plan.written, [status.attribute]: { acn: attribute.attribute, sus: 3 } } });
    ctx.progress({ state: 'accepted', report: accepted, resume: job });
    const final = await deps.progress.follow(table, device, obj, job, ctx);
    // a final report without the status (the device has none to follow) leaves the status as it was before
    return { ...final, attributes: { ...plan.written, [status.attribute]: obj.attrs[status.attribute], ...final.attributes } };
  } catch (error) {
    return { ...reportOfError('write', error, progress.steps), attributes: acknowledgedValues(plan, progress) };
  }
}

import type { StoredResource } from '../../../store/store.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { RESOURCE_TYPE, type MgmtObjSpec } from '../../../core/attribute-dictionary.js';
import { validateContent } from '../content-validator.js';
import { deviceValues, storeDeviceValues, withoutDeviceValues } from '../device-nodes.js';
import { contentRoot } from './request-content.js';
import { modifiedAttributes, RCN, resultContent, wrap } from './result-content.js';
import { deviceOutcome, mgmtObjRef, outcomeResponse } from './device-calls.js';
import { mgmtObjServing, refuseExecutionWithoutDevice } from './mgmt-obj-serving.js';
import { isFinalSuccess } from './device-outcome.js';
import type { OperationContext } from './operation-context.js';
import { withExecutablesRead, withoutExecutables } from './executable-attributes.js';
import { desiredValues } from '../held-values.js';
import { refuseTakenNodeId } from './unique-node-id.js';
import { checkRequestedExpiration } from '../expiry.js';

function notFound(target: StoredResource): never {
  throw new RequestError(RSC.NOT_FOUND, `"${target.path}" was deleted while it was being updated`);
}

export async function update(ctx: OperationContext, req: RequestPrimitive, target: StoredResource): Promise<ResponsePrimitive> {
  if (target.ty === RESOURCE_TYPE.CSEBase) throw new RequestError(RSC.OPERATION_NOT_ALLOWED, 'the CSEBase cannot be updated');
  if (target.ty === RESOURCE_TYPE.request) throw new RequestError(RSC.OPERATION_NOT_ALLOWED, 'a <request> cannot be updated: retrieve it, or delete it to withdraw its request');
  const rcn = resultContent(Operation.Update, req.rcn);
  const spec = ctx.tree.specOf(target);
  const [rootKey, changes] = contentRoot(req.pc);
  if (rootKey !== spec.rootKey) throw new RequestError(RSC.BAD_REQUEST, `content root "${rootKey}" does not match the target, a ${spec.rootKey}`);
  validateContent(spec, 'update', changes);
  checkRequestedExpiration(changes);

  if (target.ty === RESOURCE_TYPE.node) await refuseTakenNodeId(ctx, changes.ni, target);
  let stored = changes;
  let rsc: number = RSC.UPDATED;
  let desired: Record<string, unknown> | undefined;
  const serving = target.ty === RESOURCE_TYPE.mgmtObj ? await mgmtObjServing(ctx, target) : undefined;
  if (serving) refuseExecutionWithoutDevice(spec as MgmtObjSpec, changes, serving);
  if (serving && serving.by !== 'device') {
    stored = withoutExecutables(spec as MgmtObjSpec, changes);
    // staged values are desired ones: kept apart, so that the device's values never pass for them
    if (serving.by === 'staged') desired = deviceValues(spec as MgmtObjSpec, changes);
  } else if (serving) {
    const { adapter, device } = serving.binding;
    const obj = mgmtObjRef(ctx, target);
    const outcome = await deviceOutcome(ctx, device, obj, 'update', (call) => adapter.update(device, obj, changes, call));
    if (!isFinalSuccess(outcome)) {
      // what the device acknowledged before it failed is its state now, even though the request failed; accepted work
      // (not final) brings the device's progress so far (uds In_Process...)
      await storeDeviceValues(ctx.tree, target, outcome.attributes);
      return outcomeResponse(req, outcome);
    }
    // the specialization's values (executables included) are stored only as the device confirmed them
    stored = { ...withoutDeviceValues(spec as MgmtObjSpec, changes), ...deviceValues(spec as MgmtObjSpec, outcome.attributes) };
    rsc = outcome.rsc;
  }
  // The device call may have taken a while: merge into the resource as it is now, and never bring back a deleted one.
  const [current, updated] = await ctx.tree.retrying(async () => {
    const latest = (await ctx.tree.get(target.ri)) ?? notFound(target);
    const changed = ctx.tree.withChanges(latest, stored);
    const merged = desired ? { ...changed, internal: { ...latest.internal, desired: { ...desiredValues(latest), ...desired } } } : changed;
    await ctx.tree.commit([merged], [], [{ unchanged: latest }]);
    return [latest, merged] as const;
  });
  const shown = withExecutablesRead(ctx.tree, updated, updated.attrs);
  const pc = rcn === RCN.nothing
    ? undefined
    : wrap(ctx.tree, updated, rcn === RCN.modifiedAttributes ? modifiedAttributes(shown, changes, withExecutablesRead(ctx.tree, current, current.attrs)) : shown);
  return { rsc, rqi: req.rqi, pc };
}

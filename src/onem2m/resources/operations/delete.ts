import type { StoredResource } from '../../../store/store.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { RESOURCE_TYPE } from '../../../core/attribute-dictionary.js';
import { checkDrt, resourceContent, resultContent } from './result-content.js';
import { mgmtObjServing } from './mgmt-obj-serving.js';
import { deviceOutcome, mgmtObjRef, outcomeResponse } from './device-calls.js';
import { isFinalSuccess } from './device-outcome.js';
import { visibleTo, type OperationContext } from './operation-context.js';

/** Deletes a resource and its subtree; a device's `<mgmtObj>` only once its device confirmed (staged or held values are the proxy's). A `<node>` is local: its device keeps its objects. */
export async function remove(ctx: OperationContext, req: RequestPrimitive, target: StoredResource): Promise<ResponsePrimitive> {
  if (target.ty === RESOURCE_TYPE.CSEBase) throw new RequestError(RSC.OPERATION_NOT_ALLOWED, 'the CSEBase cannot be deleted');
  const rcn = resultContent(Operation.Delete, req.rcn);
  checkDrt(req.drt);
  const view = { tree: ctx.tree, attributesOf: (r: StoredResource) => r.attrs, visible: visibleTo(ctx, req), drt: req.drt };
  const pc = await resourceContent(view, target, rcn);

  let rsc: number = RSC.DELETED;
  if (target.ty === RESOURCE_TYPE.mgmtObj) {
    const serving = await mgmtObjServing(ctx, target);
    if (serving.by === 'device') {
      const { adapter, device } = serving.binding;
      const obj = mgmtObjRef(ctx, target);
      const outcome = await deviceOutcome(ctx, device, obj, 'delete', (call) => adapter.delete(device, obj, call));
      if (!isFinalSuccess(outcome)) return outcomeResponse(req, outcome);
      rsc = outcome.rsc;
    }
  }
  // a pending request's commands not yet sent are withdrawn with its <request>
  if (target.ty === RESOURCE_TYPE.request) await ctx.requests.withdraw(target.ri);
  await ctx.tree.delete(target);
  return { rsc, rqi: req.rqi, pc };
}

import type { LeftOutAttribute } from '../../../devices/adapter.js';
import type { StoredResource } from '../../../store/store.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../primitives.js';
import { RSC } from '../../rsc.js';
import { RequestError } from '../request-error.js';
import { RESOURCE_TYPE } from '../attribute-dictionary.js';
import { storeDeviceValues } from '../device-nodes.js';
import { discover } from './discovery.js';
import { partialContent, withoutLeftOut } from './partial-content.js';
import { checkDrt, RCN, resourceContent, resultContent, wrap } from './result-content.js';
import { bindDevice, bindMgmtObjDevice, type DeviceBinding, callContext, isFinalSuccess, mgmtObjRef, outcomeResponse, withinDeadline } from './device-calls.js';
import { visibleTo, type OperationContext } from './operation-context.js';

const FU_DISCOVERY = 1;
const FU_CONDITIONAL_RETRIEVAL = 2;

function checkAttributeList(ctx: OperationContext, target: StoredResource, atrl: string[], rcn: number): void {
  if (rcn !== RCN.attributes) throw new RequestError(RSC.BAD_REQUEST, `a partial retrieve (atrl) needs rcn=1, got rcn=${rcn}`);
  const spec = ctx.tree.specOf(target);
  const unknown = atrl.find((name) => !spec.byShort.has(name));
  if (unknown !== undefined) throw new RequestError(RSC.BAD_REQUEST, `unknown attribute "${unknown}" in atrl for ${spec.rootKey}`);
}

function pick(attrs: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => attrs[n] !== undefined).map((n) => [n, attrs[n]]));
}

interface LiveChildren {
  fresh: Map<string, StoredResource>;
  /** Left out of the children, named `<child rn>/<attribute>`. */
  leftOut: LeftOutAttribute[];
}

/** Live values of every mgmtObj under a device node, read in parallel; a child whose device call fails keeps its stored values. */
async function readChildrenLive(ctx: OperationContext, req: RequestPrimitive, node: StoredResource): Promise<LiveChildren> {
  const fresh = new Map<string, StoredResource>();
  const leftOut: LeftOutAttribute[] = [];
  let binding: DeviceBinding;
  try {
    binding = bindDevice(ctx, node);
  } catch (error) {
    if (error instanceof RequestError) return { fresh, leftOut }; // not bound to a reachable device: stored values are all there is
    throw error;
  }
  const { adapter, device } = binding;
  const mgmtObjs = (await ctx.tree.children(node)).filter((c) => c.ty === RESOURCE_TYPE.mgmtObj);
  await Promise.all(
    mgmtObjs.map(async (mgmtObj) => {
      try {
        const outcome = await withinDeadline(adapter.retrieve(device, mgmtObjRef(ctx, mgmtObj), undefined, callContext(req)), req.deadline);
        if (!isFinalSuccess(outcome)) return;
        fresh.set(mgmtObj.ri, withoutLeftOut(await storeDeviceValues(ctx.tree, mgmtObj, outcome.attributes), outcome.leftOut));
        leftOut.push(...(outcome.leftOut ?? []).map((left) => ({ ...left, attribute: `${mgmtObj.rn}/${left.attribute}` })));
      } catch (error) {
        ctx.logger.warn({ err: error, rqi: req.rqi, ri: mgmtObj.ri }, 'live read of a mgmtObj failed; answering its stored values');
      }
    }),
  );
  return { fresh, leftOut };
}

export async function retrieve(ctx: OperationContext, req: RequestPrimitive, target: StoredResource): Promise<ResponsePrimitive> {
  if (req.fc?.fu === FU_DISCOVERY) return discover(ctx, req, target);
  if (req.fc?.fu !== undefined && req.fc.fu !== FU_CONDITIONAL_RETRIEVAL) {
    throw new RequestError(RSC.BAD_REQUEST, `fu=${req.fc.fu} is not 1 (discovery) or 2 (conditional retrieval)`);
  }
  const rcn = resultContent(Operation.Retrieve, req.rcn);
  checkDrt(req.drt);
  if (req.atrl) checkAttributeList(ctx, target, req.atrl, rcn);

  let current = target;
  let rsc: number = RSC.OK;
  let leftOut: LeftOutAttribute[] = [];
  const showsAttributes = rcn === RCN.attributes || rcn === RCN.attributesAndChildren || rcn === RCN.attributesAndChildReferences;
  if (target.ty === RESOURCE_TYPE.mgmtObj && showsAttributes) {
    const { adapter, device } = await bindMgmtObjDevice(ctx, target);
    const outcome = await withinDeadline(adapter.retrieve(device, mgmtObjRef(ctx, target), req.atrl, callContext(req)), req.deadline);
    if (!isFinalSuccess(outcome)) return outcomeResponse(req, outcome);
    leftOut = outcome.leftOut ?? [];
    current = withoutLeftOut(await storeDeviceValues(ctx.tree, target, outcome.attributes), leftOut);
    rsc = outcome.rsc;
  }
  if (req.atrl) return { rsc, rqi: req.rqi, pc: wrap(ctx.tree, current, pick(current.attrs, req.atrl)), ...partialContent(leftOut) };

  const live: LiveChildren = target.ty === RESOURCE_TYPE.node && rcn === RCN.attributesAndChildren
    ? await readChildrenLive(ctx, req, target)
    : { fresh: new Map(), leftOut: [] };
  const view = {
    tree: ctx.tree,
    attributesOf: (r: StoredResource) => (r.ri === current.ri ? current : live.fresh.get(r.ri) ?? r).attrs,
    visible: visibleTo(ctx, req),
    drt: req.drt,
  };
  return { rsc, rqi: req.rqi, pc: await resourceContent(view, current, rcn), ...partialContent([...leftOut, ...live.leftOut]) };
}

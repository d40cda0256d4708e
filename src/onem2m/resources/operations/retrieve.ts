import type { LeftOutAttribute } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { RESOURCE_TYPE } from '../../../core/attribute-dictionary.js';
import { storeDeviceValues } from '../device-nodes.js';
import { oneM2MTimestamp } from '../onem2m-time.js';
import { discover } from './discovery.js';
import { partialContent, withoutLeftOut } from './partial-content.js';
import { checkDrt, RCN, resourceContent, resultContent, wrap } from './result-content.js';
import { mgmtObjServing } from './mgmt-obj-serving.js';
import { bindDevice, type DeviceBinding, deviceOutcome, deviceOutcomes, mgmtObjRef, outcomeResponse } from './device-calls.js';
import { isFinalSuccess, type DeviceOutcome } from './device-outcome.js';
import { visibleTo, type OperationContext } from './operation-context.js';
import { withExecutablesRead } from './executable-attributes.js';
import { isHeld } from '../held-values.js';

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

/**
 * Live values of every mgmtObj under a device node, from one adapter call (each device object is read once). As a
 * Retrieve of each child would, the first child whose values the device could not give decides the answer: its outcome,
 * never stored values presented as read. A node bound to no device adapter has nothing live: its stored children show,
 * as do the children whose values the proxy holds.
 */
async function readChildrenLive(ctx: OperationContext, req: RequestPrimitive, node: StoredResource): Promise<LiveChildren | DeviceOutcome> {
  const fresh = new Map<string, StoredResource>();
  const leftOut: LeftOutAttribute[] = [];
  let binding: DeviceBinding;
  try {
    binding = bindDevice(ctx, node);
  } catch (error) {
    if (error instanceof RequestError) return { fresh, leftOut };
    throw error;
  }
  const mgmtObjs = (await ctx.tree.children(node)).filter((c) => c.ty === RESOURCE_TYPE.mgmtObj && !isHeld(c) && binding.adapter.serves(ctx.tree.specOf(c).name));
  if (mgmtObjs.length === 0) return { fresh, leftOut };
  const refs = mgmtObjs.map((mgmtObj) => mgmtObjRef(ctx, mgmtObj));
  const outcomes = await deviceOutcomes(ctx, binding.device, (call) => binding.adapter.retrieveAll(binding.device, refs, call));
  const failed = outcomes.find((outcome) => !isFinalSuccess(outcome));
  if (failed) return failed;
  for (const [index, mgmtObj] of mgmtObjs.entries()) {
    const outcome = outcomes[index];
    fresh.set(mgmtObj.ri, withoutLeftOut(await storeDeviceValues(ctx.tree, mgmtObj, outcome?.attributes), outcome?.leftOut));
    leftOut.push(...(outcome?.leftOut ?? []).map((left) => ({ ...left, attribute: `${mgmtObj.rn}/${left.attribute}` })));
  }
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

  // currentTime is the CSE's clock at the moment of the answer, never stored.
  let current = target.ty === RESOURCE_TYPE.CSEBase ? { ...target, attrs: { ...target.attrs, ctm: oneM2MTimestamp() } } : target;
  let rsc: number = RSC.OK;
  let leftOut: LeftOutAttribute[] = [];
  const showsAttributes = rcn === RCN.attributes || rcn === RCN.attributesAndChildren || rcn === RCN.attributesAndChildReferences;
  const serving = target.ty === RESOURCE_TYPE.mgmtObj && showsAttributes ? await mgmtObjServing(ctx, target) : undefined;
  if (serving?.by === 'device') {
    const { adapter, device } = serving.binding;
    const obj = mgmtObjRef(ctx, target);
    const outcome = await deviceOutcome(ctx, device, obj, 'retrieve', (call) => adapter.retrieve(device, obj, req.atrl, call));
    if (!isFinalSuccess(outcome)) return outcomeResponse(req, outcome);
    leftOut = outcome.leftOut ?? [];
    current = withoutLeftOut(await storeDeviceValues(ctx.tree, target, outcome.attributes), leftOut);
    rsc = outcome.rsc;
  }
  if (req.atrl) {
    const attrs = pick(withExecutablesRead(ctx.tree, current, current.attrs), req.atrl);
    return { rsc, rqi: req.rqi, pc: wrap(ctx.tree, current, attrs), ...partialContent(leftOut) };
  }

  const live = target.ty === RESOURCE_TYPE.node && rcn === RCN.attributesAndChildren
    ? await readChildrenLive(ctx, req, target)
    : { fresh: new Map<string, StoredResource>(), leftOut: [] };
  if (!('fresh' in live)) return outcomeResponse(req, live);
  const view = {
    tree: ctx.tree,
    attributesOf: (r: StoredResource) => {
      const shown = r.ri === current.ri ? current : live.fresh.get(r.ri) ?? r;
      return withExecutablesRead(ctx.tree, shown, shown.attrs);
    },
    visible: visibleTo(ctx, req),
    drt: req.drt,
  };
  return { rsc, rqi: req.rqi, pc: await resourceContent(view, current, rcn), ...partialContent([...leftOut, ...live.leftOut]) };
}

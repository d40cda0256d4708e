import type { StoredResource } from '../../../store/store.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { RESOURCE_TYPE, resourceSpecByRootKey, type MgmtObjSpec, type ResourceTypeSpec } from '../../../core/attribute-dictionary.js';
import { validateContent } from '../content-validator.js';
import { deviceValues, discoveredSiblingsSupersededBy, withoutDeviceValues } from '../device-nodes.js';
import { contentRoot } from './request-content.js';
import { modifiedAttributes, RCN, resultContent, wrap } from './result-content.js';
import { deviceOutcome, mgmtObjRef, outcomeResponse } from './device-calls.js';
import { refuseExecutionWithoutDevice, servingOf } from './mgmt-obj-serving.js';
import { isFinalSuccess } from './device-outcome.js';
import type { OperationContext } from './operation-context.js';
import { withExecutablesRead, withoutExecutables } from './executable-attributes.js';
import { OFFLINE_LABEL, STAGED_LABEL, withLabel } from '../held-values.js';
import { initialAttributes } from '../initial-attributes.js';
import { refuseTakenNodeId } from './unique-node-id.js';
import { checkRequestedExpiration } from '../expiry.js';

/** The one child type each parent accepts: the CSEBase holds `<node>`s, a `<node>` holds `<mgmtObj>`s. */
const CHILD_TYPE: Record<number, number> = { [RESOURCE_TYPE.CSEBase]: RESOURCE_TYPE.node, [RESOURCE_TYPE.node]: RESOURCE_TYPE.mgmtObj };

function specForContent(ty: number, rootKey: string): ResourceTypeSpec {
  const spec = resourceSpecByRootKey(rootKey);
  if (!spec || spec.ty !== ty) throw new RequestError(RSC.BAD_REQUEST, `content root "${rootKey}" is not a resource of type ty=${ty} served here`);
  return spec;
}

function createdContent(ctx: OperationContext, rcn: number, created: StoredResource, requested: Record<string, unknown>): Record<string, unknown> | undefined {
  const shown = withExecutablesRead(ctx.tree, created, created.attrs);
  switch (rcn) {
    case RCN.nothing:
      return undefined;
    case RCN.hierarchicalAddress:
      return { 'm2m:uri': created.path };
    case RCN.hierarchicalAddressAndAttributes:
      return { 'm2m:rce': { ...wrap(ctx.tree, created, shown), uri: created.path } };
    case RCN.modifiedAttributes:
      return wrap(ctx.tree, created, modifiedAttributes(shown, requested));
    default:
      return wrap(ctx.tree, created, shown);
  }
}

/**
 * A mgmtObj whose values the proxy holds: stored as given (executables are actions, never stored), status attributes
 * starting as "no action yet". Staged values are also kept apart as desired ones and labelled, until a device takes them.
 */
function heldMgmtObj(spec: MgmtObjSpec, resource: StoredResource, by: 'staged' | 'held'): StoredResource {
  const attrs = { ...initialAttributes(spec), ...withoutExecutables(spec, resource.attrs) };
  if (by === 'held') return { ...resource, attrs, internal: { ...resource.internal, held: true } };
  return {
    ...resource,
    attrs: { ...attrs, lbl: withLabel(attrs.lbl, STAGED_LABEL) },
    internal: { ...resource.internal, desired: deviceValues(spec, resource.attrs) },
  };
}

export async function create(ctx: OperationContext, req: RequestPrimitive, parent: StoredResource): Promise<ResponsePrimitive> {
  if (req.ty === RESOURCE_TYPE.CSEBase) throw new RequestError(RSC.OPERATION_NOT_ALLOWED, 'a CSEBase cannot be created');
  if (req.ty === RESOURCE_TYPE.request) throw new RequestError(RSC.OPERATION_NOT_ALLOWED, 'a <request> is created by the CSE alone, for a non-blocking request (rt=1, 2 or 4)');
  if (req.ty === undefined) throw new RequestError(RSC.BAD_REQUEST, 'Create needs a resource type (ty)');
  const parentSpec = ctx.tree.specOf(parent);
  if (CHILD_TYPE[parent.ty] !== req.ty) {
    throw new RequestError(RSC.INVALID_CHILD_RESOURCE_TYPE, `a ${parentSpec.name} cannot hold a child of resource type ty=${req.ty}`);
  }
  const rcn = resultContent(Operation.Create, req.rcn);
  const [rootKey, content] = contentRoot(req.pc);
  const spec = specForContent(req.ty, rootKey);
  validateContent(spec, 'create', content);
  checkRequestedExpiration(content);

  const internal = spec.ty === RESOURCE_TYPE.mgmtObj ? { type: spec.name } : {};
  let resource = ctx.tree.newChild(parent, spec, { et: ctx.tree.defaultExpirationTime(), ...content }, internal);
  if (parent.ty === RESOURCE_TYPE.CSEBase && !ctx.access.allowsNode(req.fr, resource.rn)) {
    throw new RequestError(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, `originator "${req.fr}" may not create node "${resource.rn}"`);
  }
  if (await ctx.tree.findChild(parent, resource.rn)) {
    throw new RequestError(RSC.CONFLICT, `"${parent.path}" already has a child named "${resource.rn}"`);
  }

  let rsc: number = RSC.CREATED;
  if (spec.ty === RESOURCE_TYPE.node) {
    await refuseTakenNodeId(ctx, content.ni);
    // a node a CSE creates has no device registration behind it until a device with its ni binds to it
    resource = { ...resource, attrs: { ...resource.attrs, lbl: withLabel(resource.attrs.lbl, OFFLINE_LABEL) } };
  }
  const serving = spec.ty === RESOURCE_TYPE.mgmtObj ? servingOf(ctx, parent, spec.name) : undefined;
  if (serving) refuseExecutionWithoutDevice(spec as MgmtObjSpec, content, serving);
  if (serving && serving.by !== 'device') {
    resource = heldMgmtObj(spec as MgmtObjSpec, resource, serving.by);
  } else if (serving) {
    const { adapter, device } = serving.binding;
    const obj = mgmtObjRef(ctx, resource);
    const outcome = await deviceOutcome(ctx, device, obj, 'create', (call) => adapter.create(device, obj, call));
    if (!isFinalSuccess(outcome)) return outcomeResponse(req, outcome);
    const confirmed = {
      ...deviceValues(spec as MgmtObjSpec, outcome.attributes),
      ...(outcome.obis ? { obis: outcome.obis } : {}),
      ...(outcome.obps ? { obps: outcome.obps } : {}),
    };
    // the specialization's values are stored only as the device confirmed or reported them, never as merely requested
    resource = { ...resource, attrs: { ...withoutDeviceValues(spec as MgmtObjSpec, resource.attrs), ...confirmed } };
    rsc = outcome.rsc;
  }
  const stored = resource;
  await ctx.tree.retrying(async () => {
    if (!(await ctx.tree.get(parent.ri))) throw new RequestError(RSC.NOT_FOUND, `"${parent.path}" was deleted while "${stored.rn}" was being created`);
    if (stored.ty !== RESOURCE_TYPE.mgmtObj) return ctx.tree.commit([stored], [], [{ exists: parent.ri }]);
    // The device may have announced the new instance (Registration Update) before this commit, and the refresh then
    // published it as a contract-named sibling (`software-1`): this resource replaces it, in the same atomic write,
    // which holds only while the parent and its children are as read.
    const siblings = await ctx.tree.children(parent);
    const superseded = discoveredSiblingsSupersededBy(siblings, stored);
    await ctx.tree.commit([stored], superseded.map((sibling) => sibling.ri), [
      { exists: parent.ri }, { childrenOf: parent.ri, are: siblings.map((sibling) => sibling.ri) },
    ]);
  });
  return { rsc, rqi: req.rqi, pc: createdContent(ctx, rcn, resource, content), contentLocation: resource.path };
}

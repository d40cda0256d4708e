/** Calls into the device adapter that serves a `<node>`: binding, references, and the mapping of its reports. */
import type { DeviceAdapter, DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation, Protocol } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import { errorResponse, Operation, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { outcomeOf, type DeviceOutcome } from './device-outcome.js';
import type { OperationContext } from './operation-context.js';
import { mgmtObjSpecByRootKey, RESOURCE_TYPE, type MgmtObjSpec } from '../../../core/attribute-dictionary.js';
import { isDeviceBound, isHeld } from '../held-values.js';

export interface DeviceBinding {
  adapter: DeviceAdapter;
  device: DeviceRef;
}

/** The adapter and device behind a `<node>`; 6003 when the node names no device protocol or no adapter serves it (TS-0004 §7.3.4). */
export function bindDevice(ctx: Pick<OperationContext, 'adapters'>, node: StoredResource): DeviceBinding {
  const protocol = node.internal.protocol as Protocol | undefined;
  const deviceId = node.internal.deviceId;
  if (!protocol || typeof deviceId !== 'string') {
    throw new RequestError(RSC.EXTERNAL_OBJECT_NOT_REACHABLE, `node "${node.path}" is not bound to a device: no management protocol is known for it`);
  }
  const adapter = ctx.adapters.get(protocol);
  if (!adapter) throw new RequestError(RSC.EXTERNAL_OBJECT_NOT_REACHABLE, `no ${protocol} adapter is running to reach the device of node "${node.path}"`);
  return { adapter, device: { protocol, deviceId, nodeRi: node.ri } };
}

/**
 * Who holds a `<mgmtObj>`'s values: the device (through its adapter), or the proxy, either as desired values until a
 * device binds to the node (`staged`) or for good, as no device object is mapped to the specialization (`held`).
 */
type ServingContext = Pick<OperationContext, 'tree' | 'adapters'>;

export type MgmtObjServing = { by: 'device'; binding: DeviceBinding } | { by: 'staged' } | { by: 'held' };

/** How a mgmtObj of specialization `type` under `node` is served (`mgmtObj`: the existing one, if any). */
export function servingOf(ctx: ServingContext, node: StoredResource, type: string, mgmtObj?: StoredResource): MgmtObjServing {
  if (mgmtObj && isHeld(mgmtObj)) return { by: 'held' };
  if (!isDeviceBound(node)) return { by: 'staged' };
  const binding = bindDevice(ctx, node);
  return binding.adapter.serves(type) ? { by: 'device', binding } : { by: 'held' };
}

/** servingOf an existing `<mgmtObj>`, through its parent node. */
export async function mgmtObjServing(ctx: ServingContext, mgmtObj: StoredResource): Promise<MgmtObjServing> {
  const node = await ctx.tree.get(mgmtObj.pi);
  if (!node) throw new Error(`mgmtObj ${mgmtObj.ri} has no parent ${mgmtObj.pi}`);
  return servingOf(ctx, node, ctx.tree.specOf(mgmtObj).name, mgmtObj);
}

/**
 * The execution check of a Create or Update before it runs, for a non-blocking request: refused at once (6003), not as
 * the result of a `<request>`.
 */
export async function refuseEarlyExecutionWithoutDevice(ctx: ServingContext, req: RequestPrimitive, target: StoredResource): Promise<void> {
  const content = req.pc && Object.values(req.pc)[0];
  if (typeof content !== 'object' || content === null) return;
  const spec = req.pc && mgmtObjSpecByRootKey(Object.keys(req.pc)[0]);
  if (!spec) return;
  if (req.op === Operation.Update && target.ty === RESOURCE_TYPE.mgmtObj) {
    refuseExecutionWithoutDevice(spec, content as Record<string, unknown>, await mgmtObjServing(ctx, target));
  } else if (req.op === Operation.Create && target.ty === RESOURCE_TYPE.node) {
    refuseExecutionWithoutDevice(spec, content as Record<string, unknown>, servingOf(ctx, target, spec.name));
  }
}

/** Executable attributes set to true ask a device to act: without one (staged or held values) that is 6003, whatever the response type. */
export function refuseExecutionWithoutDevice(spec: MgmtObjSpec, content: Record<string, unknown>, serving: MgmtObjServing): void {
  if (serving.by === 'device') return;
  const asked = spec.executables.filter((name) => content[name] === true);
  if (asked.length === 0) return;
  const why = serving.by === 'staged' ? 'no device has bound to its node yet' : `no device object is mapped to ${spec.name}`;
  throw new RequestError(RSC.EXTERNAL_OBJECT_NOT_REACHABLE, `${asked.join(', ')} cannot be executed: ${why}`);
}

export function mgmtObjRef(ctx: OperationContext, resource: StoredResource): MgmtObjRef {
  const { obis, obps } = resource.attrs;
  return {
    type: ctx.tree.specOf(resource).name,
    ri: resource.ri,
    rn: resource.rn,
    obis: Array.isArray(obis) ? (obis as string[]) : undefined,
    obps: Array.isArray(obps) ? (obps as string[]) : undefined,
    attrs: resource.attrs,
  };
}

/** One adapter call through the request's device work, its report mapped through the status tables. */
export async function deviceOutcome(
  ctx: OperationContext, device: DeviceRef, obj: MgmtObjRef, operation: OneM2MOperation, invoke: (call: DeviceCallContext) => Promise<DeviceReport>,
): Promise<DeviceOutcome> {
  return outcomeOf(ctx.mappings.current(), await ctx.work.call(device, obj, operation, invoke));
}

/** A retrieveAll through the request's device work: one outcome per mgmtObj, or only the `expired` one. */
export async function deviceOutcomes(ctx: OperationContext, device: DeviceRef, invoke: (call: DeviceCallContext) => Promise<DeviceReport[]>): Promise<DeviceOutcome[]> {
  const reports = await ctx.work.callAll(device, invoke);
  const table = ctx.mappings.current();
  return reports.map((report) => outcomeOf(table, report));
}

/** The response for an outcome that is not a final success: accepted (still running) or the device's failure. */
export function outcomeResponse(req: RequestPrimitive, outcome: DeviceOutcome): ResponsePrimitive {
  if (!outcome.final) return { rsc: outcome.rsc, rqi: req.rqi, pc: { 'm2m:dbg': outcome.dbg } };
  return errorResponse(outcome.rsc, req.rqi, outcome.dbg);
}

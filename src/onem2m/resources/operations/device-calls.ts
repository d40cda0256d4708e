/** Calls into the device adapter that serves a `<node>`: binding, references, and the mapping of its reports. */
import type { DeviceAdapter, DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation, Protocol } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import { errorResponse, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { outcomeOf, type DeviceOutcome } from './device-outcome.js';
import type { OperationContext } from './operation-context.js';

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

/** Calls into the device adapter that serves a `<node>`: binding, references, call context, the deadline bound, and the mapping of its reports. */
import type { DeviceAdapter, DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation, Protocol } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import { errorResponse, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { setTimeoutAt, type LongTimer } from '../../../core/long-timer.js';
import { RequestError } from '../../../core/request-error.js';
import { outcomeOf, type DeviceOutcome } from './device-outcome.js';
import type { OperationContext } from './operation-context.js';

export interface DeviceBinding {
  adapter: DeviceAdapter;
  device: DeviceRef;
}

/** The adapter and device behind a `<node>`; 6003 when the node names no device protocol or no adapter serves it (TS-0004 §7.3.4). */
export function bindDevice(ctx: OperationContext, node: StoredResource): DeviceBinding {
  const protocol = node.internal.protocol as Protocol | undefined;
  const deviceId = node.internal.deviceId;
  if (!protocol || typeof deviceId !== 'string') {
    throw new RequestError(RSC.EXTERNAL_OBJECT_NOT_REACHABLE, `node "${node.path}" is not bound to a device: no management protocol is known for it`);
  }
  const adapter = ctx.adapters.get(protocol);
  if (!adapter) throw new RequestError(RSC.EXTERNAL_OBJECT_NOT_REACHABLE, `no ${protocol} adapter is running to reach the device of node "${node.path}"`);
  return { adapter, device: { protocol, deviceId, nodeRi: node.ri } };
}

/** The device binding of a `<mgmtObj>`'s parent node. */
export async function bindMgmtObjDevice(ctx: OperationContext, mgmtObj: StoredResource): Promise<DeviceBinding> {
  const node = await ctx.tree.get(mgmtObj.pi);
  if (!node) throw new Error(`mgmtObj ${mgmtObj.ri} has no parent ${mgmtObj.pi}`);
  return bindDevice(ctx, node);
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

export function callContext(req: RequestPrimitive): DeviceCallContext {
  return { requestId: req.rqi, originator: req.fr, deadline: req.deadline, signal: req.signal, progress: () => {} };
}

/**
 * How long past the deadline the core waits for an adapter. Adapters own the deadline and report expiry in their own
 * terms (timeout, sleeping...); this timer only catches an adapter that breaks that contract.
 */
const ADAPTER_GRACE_MS = 500;

/** The adapter's result, or `expired()` when it has none by the request's deadline (a device that never answers costs one timer). */
async function withinDeadline<T>(call: Promise<T>, deadline: number, expired: () => T): Promise<T> {
  let timer: LongTimer | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeoutAt(Math.max(deadline, Date.now()) + ADAPTER_GRACE_MS, () => resolve(expired()));
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    timer?.clear();
  }
}

function expiredReport(device: DeviceRef, operation: OneM2MOperation): DeviceReport {
  return { technology: device.protocol, operation, code: 'expired', detail: '(the device did not answer before the request expired)' };
}

/** One adapter call under the request's deadline, its report mapped through the status tables. */
export async function deviceOutcome(ctx: OperationContext, req: RequestPrimitive, device: DeviceRef, operation: OneM2MOperation, call: Promise<DeviceReport>): Promise<DeviceOutcome> {
  const report = await withinDeadline(call, req.deadline, () => expiredReport(device, operation));
  return outcomeOf(ctx.mappings.current(), report);
}

/** A retrieveAll under the request's deadline: one outcome per mgmtObj, or only the `expired` one. */
export async function deviceOutcomes(ctx: OperationContext, req: RequestPrimitive, device: DeviceRef, call: Promise<DeviceReport[]>): Promise<DeviceOutcome[]> {
  const reports = await withinDeadline(call, req.deadline, () => [expiredReport(device, 'retrieve')]);
  const table = ctx.mappings.current();
  return reports.map((report) => outcomeOf(table, report));
}

/** The response for an outcome that is not a final success: accepted (still running) or the device's failure. */
export function outcomeResponse(req: RequestPrimitive, outcome: DeviceOutcome): ResponsePrimitive {
  if (!outcome.final) return { rsc: outcome.rsc, rqi: req.rqi, pc: { 'm2m:dbg': outcome.dbg } };
  return errorResponse(outcome.rsc, req.rqi, outcome.dbg);
}

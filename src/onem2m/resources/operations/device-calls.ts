/** Calls into the device adapter that serves a `<node>`: binding, references, call context, and the deadline bound. */
import type { DeviceAdapter, DeviceCallContext, DeviceOutcome, DeviceRef, MgmtObjRef, Protocol } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import { errorResponse, type RequestPrimitive, type ResponsePrimitive } from '../../../core/primitives.js';
import { RSC, rscName } from '../../../core/rsc.js';
import { setTimeoutAt, type LongTimer } from '../../../core/long-timer.js';
import { RequestError } from '../../../core/request-error.js';
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
  return { requestId: req.rqi, originator: req.fr, deadline: req.deadline, signal: req.signal };
}

/**
 * How long past the deadline the core waits for an adapter. Adapters own the deadline and answer expiry through their
 * status tables (and so the selected vocabulary profile); this timer only catches an adapter that breaks that contract.
 */
const ADAPTER_GRACE_MS = 500;

/** The adapter's outcome, or 6030 when it has not answered by the request's deadline (a device that never answers costs one timer). */
export async function withinDeadline(call: Promise<DeviceOutcome>, deadline: number): Promise<DeviceOutcome> {
  let timer: LongTimer | undefined;
  const expired = new Promise<DeviceOutcome>((resolve) => {
    timer = setTimeoutAt(
      Math.max(deadline, Date.now()) + ADAPTER_GRACE_MS,
      () => resolve({ rsc: RSC.EXTERNAL_OBJECT_NOT_REACHABLE_BEFORE_RQET_TIMEOUT, final: true, dbg: 'the device did not answer before the request expired' }),
    );
  });
  try {
    return await Promise.race([call, expired]);
  } finally {
    timer?.clear();
  }
}

export function isFinalSuccess(outcome: DeviceOutcome): boolean {
  return outcome.final && outcome.rsc >= 2000 && outcome.rsc < 3000;
}

/** The response for an outcome that is not a final success: accepted (still running) or the device's failure. */
export function outcomeResponse(req: RequestPrimitive, outcome: DeviceOutcome): ResponsePrimitive {
  if (!outcome.final) return { rsc: outcome.rsc, rqi: req.rqi, ...(outcome.dbg ? { pc: { 'm2m:dbg': outcome.dbg } } : {}) };
  return errorResponse(outcome.rsc, req.rqi, outcome.dbg ?? `the device answered ${rscName(outcome.rsc)}`);
}

/** Whether a `<mgmtObj>`'s values are its device's or the proxy's (staged or held), and what needs a device. */
import type { StoredResource } from '../../../store/store.js';
import { Operation, type RequestPrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { mgmtObjSpecByRootKey, RESOURCE_TYPE, type MgmtObjSpec } from '../../../core/attribute-dictionary.js';
import { isDeviceBound, isHeld } from '../held-values.js';
import { bindDevice, type DeviceBinding } from './device-calls.js';
import type { OperationContext } from './operation-context.js';

type ServingContext = Pick<OperationContext, 'tree' | 'adapters'>;

/**
 * Who holds a `<mgmtObj>`'s values: the device (through its adapter), or the proxy, either as desired values until a
 * device binds to the node (`staged`) or for good, as no device object is mapped to the specialization (`held`).
 */
export type MgmtObjServing = { by: 'device'; binding: DeviceBinding } | { by: 'staged' } | { by: 'held' };

/**
 * How a mgmtObj of specialization `type` under `node` is served (`mgmtObj`: the existing one, if any). Whether the
 * technology maps the specialization is decided when the mgmtObj is created: one whose mapping an integrator removed
 * later still goes to its adapter, which answers from the `unmapped` row, never with stored values as if read.
 */
export function servingOf(ctx: ServingContext, node: StoredResource, type: string, mgmtObj?: StoredResource): MgmtObjServing {
  if (mgmtObj && isHeld(mgmtObj)) return { by: 'held' };
  if (!isDeviceBound(node)) return { by: 'staged' };
  const binding = bindDevice(ctx, node);
  return mgmtObj || binding.adapter.serves(type) ? { by: 'device', binding } : { by: 'held' };
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

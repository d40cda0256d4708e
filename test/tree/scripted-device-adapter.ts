/**
 * A device adapter used only in tests of the resource layer: it plays a device whose answers each test scripts,
 * and records every call so tests can check what the dispatcher passed (refs, changes, deadline, signal).
 */
import type { DeviceAdapter, DeviceCallContext, DeviceOutcome, DeviceRef, MgmtObjRef, Protocol } from '../../src/core/device-adapter.js';

export type AdapterMethod = 'retrieve' | 'update' | 'create' | 'delete';

export interface AdapterCall {
  method: AdapterMethod;
  device: DeviceRef;
  obj: MgmtObjRef;
  attributes?: string[];
  changes?: Record<string, unknown>;
  ctx: DeviceCallContext;
}

const SUCCESS: Record<AdapterMethod, number> = { retrieve: 2000, update: 2004, create: 2001, delete: 2002 };

export class ScriptedDeviceAdapter implements DeviceAdapter {
  readonly calls: AdapterCall[] = [];
  /** Per method, how the device answers; unset = success with `deviceValues[obj.rn]` on retrieve. */
  readonly script: Partial<Record<AdapterMethod, (call: AdapterCall) => DeviceOutcome | Promise<DeviceOutcome>>> = {};
  /** Values the device holds per mgmtObj rn (answered on retrieve). */
  readonly deviceValues: Record<string, Record<string, unknown>> = {};

  constructor(readonly protocol: Protocol = 'lwm2m') {}

  private async answer(call: AdapterCall): Promise<DeviceOutcome> {
    this.calls.push(call);
    const scripted = this.script[call.method];
    if (scripted) return scripted(call);
    // unscripted, the device confirms everything it is asked to create or write
    const attributes = call.method === 'retrieve' ? this.deviceValues[call.obj.rn] ?? {} : call.method === 'update' ? call.changes : call.method === 'create' ? call.obj.attrs : undefined;
    return { rsc: SUCCESS[call.method], final: true, attributes };
  }

  retrieve(device: DeviceRef, obj: MgmtObjRef, attributes: string[] | undefined, ctx: DeviceCallContext): Promise<DeviceOutcome> {
    return this.answer({ method: 'retrieve', device, obj, attributes, ctx });
  }

  /** One retrieve call per mgmtObj, all at once (recorded as such). */
  retrieveAll(device: DeviceRef, objs: MgmtObjRef[], ctx: DeviceCallContext): Promise<DeviceOutcome[]> {
    return Promise.all(objs.map((obj) => this.retrieve(device, obj, undefined, ctx)));
  }

  update(device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceOutcome> {
    return this.answer({ method: 'update', device, obj, changes, ctx });
  }

  create(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceOutcome> {
    return this.answer({ method: 'create', device, obj, ctx });
  }

  delete(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceOutcome> {
    return this.answer({ method: 'delete', device, obj, ctx });
  }
}

/**
 * A device adapter used only in tests of the resource layer: it plays a device whose answers each test scripts,
 * and records every call so tests can check what the dispatcher passed (refs, changes, deadline, signal).
 */
import type { DeviceAdapter, DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, Protocol } from '../../src/core/device-adapter.js';
import type { DeviceDirectory } from '../../src/core/device-directory.js';

export type AdapterMethod = 'retrieve' | 'update' | 'create' | 'delete' | 'resume';

export interface AdapterCall {
  method: AdapterMethod;
  device: DeviceRef;
  obj: MgmtObjRef;
  attributes?: string[];
  changes?: Record<string, unknown>;
  ctx: DeviceCallContext;
}

/**
 * What the scripted device says: a report whose technology (the adapter's protocol) and operation row (the call's
 * method, a oneM2M name every status table answers to) may be left out.
 */
export type ScriptedReport = Omit<DeviceReport, 'technology' | 'operation'> & Partial<Pick<DeviceReport, 'technology' | 'operation'>>;

/** The device's success code per method: CoAP codes for LwM2M, OMA DM 200 otherwise. */
const LWM2M_SUCCESS: Record<AdapterMethod, string> = { retrieve: '2.05', update: '2.04', create: '2.01', delete: '2.02', resume: '2.04' };

export class ScriptedDeviceAdapter implements DeviceAdapter {
  readonly calls: AdapterCall[] = [];
  /** Per method, how the device answers; unset = success with `deviceValues[obj.rn]` on retrieve. */
  readonly script: Partial<Record<AdapterMethod, (call: AdapterCall) => ScriptedReport | Promise<ScriptedReport>>> = {};
  /** Values the device holds per mgmtObj rn (answered on retrieve). */
  readonly deviceValues: Record<string, Record<string, unknown>> = {};

  /** Specializations no device object is mapped to (held by the proxy); default: every one is served. */
  readonly unserved = new Set<string>();

  constructor(readonly protocol: Protocol = 'lwm2m') {}

  serves(type: string): boolean {
    return !this.unserved.has(type);
  }

  /** The success code of `method` on this adapter's technology. */
  success(method: AdapterMethod): string {
    return this.protocol === 'lwm2m' ? LWM2M_SUCCESS[method] : '200';
  }

  private async answer(call: AdapterCall): Promise<DeviceReport> {
    this.calls.push(call);
    const scripted = this.script[call.method];
    const said = scripted ? await scripted(call) : this.unscripted(call);
    return { technology: this.protocol, operation: call.method === 'resume' ? 'update' : call.method, ...said };
  }

  /** Unscripted, the device confirms everything it is asked to create or write. */
  private unscripted(call: AdapterCall): ScriptedReport {
    const attributes = call.method === 'retrieve' ? this.deviceValues[call.obj.rn] ?? {} : call.method === 'update' ? call.changes : call.method === 'create' ? call.obj.attrs : undefined;
    return { code: this.success(call.method), attributes };
  }

  retrieve(device: DeviceRef, obj: MgmtObjRef, attributes: string[] | undefined, ctx: DeviceCallContext): Promise<DeviceReport> {
    return this.answer({ method: 'retrieve', device, obj, attributes, ctx });
  }

  /** One retrieve call per mgmtObj, all at once (recorded as such). */
  retrieveAll(device: DeviceRef, objs: MgmtObjRef[], ctx: DeviceCallContext): Promise<DeviceReport[]> {
    return Promise.all(objs.map((obj) => this.retrieve(device, obj, undefined, ctx)));
  }

  update(device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceReport> {
    return this.answer({ method: 'update', device, obj, changes, ctx });
  }

  create(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
    return this.answer({ method: 'create', device, obj, ctx });
  }

  delete(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
    return this.answer({ method: 'delete', device, obj, ctx });
  }

  /** Carrying on after a restart: `resume` is recorded as `changes`. */
  resume(device: DeviceRef, obj: MgmtObjRef, resume: unknown, ctx: DeviceCallContext): Promise<DeviceReport> {
    return this.answer({ method: 'resume', device, obj, changes: { resume }, ctx });
  }
}

/** mgmtObjs of the scripted device `urn:imei:4711` (node `proxy/imei:4711`), by type. */
const SCRIPTED_MGMT_OBJS = {
  battery: { type: 'battery', rn: 'battery', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
  firmware: { type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'] },
  reboot: { type: 'reboot', rn: 'reboot', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
} as const;

/** Registers a ScriptedDeviceAdapter and publishes its LwM2M device `urn:imei:4711` with the given mgmtObjs. */
export async function attachScriptedDevice(
  harness: { adapters: { register(adapter: DeviceAdapter): void }; devices: DeviceDirectory },
  types: ReadonlyArray<keyof typeof SCRIPTED_MGMT_OBJS>,
): Promise<ScriptedDeviceAdapter> {
  const adapter = new ScriptedDeviceAdapter();
  harness.adapters.register(adapter);
  await harness.devices.upsertDevice({
    protocol: 'lwm2m', deviceId: 'urn:imei:4711', address: 'coap://127.0.0.1:5690', online: true,
    mgmtObjs: types.map((type) => ({ ...SCRIPTED_MGMT_OBJS[type], obis: [...SCRIPTED_MGMT_OBJS[type].obis], obps: [...SCRIPTED_MGMT_OBJS[type].obps] })),
  });
  return adapter;
}

import type { Protocol } from './protocols.js';

/**
 * The interface every device technology implements (LwM2M today, OMA DM 1.3 / 2.0 next).
 * The core never imports an adapter's internals; it picks the adapter by the protocol recorded on the `<node>`.
 * Calls may complete later (DM devices open sessions when they choose): every call carries a deadline and a signal.
 */
export type { Protocol };

export interface DeviceRef {
  protocol: Protocol;
  /** Exact device identity (LwM2M endpoint name, DM DevId) = the node's `ni`. */
  deviceId: string;
  nodeRi: string;
}

export interface MgmtObjRef {
  /** Specialization long name: firmware, software, deviceInfo, ... */
  type: string;
  ri: string;
  rn: string;
  obis?: string[];
  obps?: string[];
  /** Attributes as stored (short names). */
  attrs: Record<string, unknown>;
}

export interface DeviceCallContext {
  requestId: string;
  originator: string;
  /** Absolute deadline, epoch ms (from X-M2M-RET or the configured default). */
  deadline: number;
  signal: AbortSignal;
}

/** An attribute the device reported a value for that does not convert to a oneM2M value. */
export interface LeftOutAttribute {
  /** Short name. */
  attribute: string;
  /** What the device reported and why it is no value of the attribute. */
  reason: string;
}

/** The device's answer, already mapped through the status tables. */
export interface DeviceOutcome {
  rsc: number;
  /** false: accepted / not final (the final result arrives later). */
  final: boolean;
  dbg?: string;
  /**
   * Attribute values the device reported or confirmed (short names, oneM2M units). On Create and Update, a
   * specialization attribute absent here was not confirmed and is not stored. A failed Update reports the values the
   * device acknowledged before the failure.
   */
  attributes?: Record<string, unknown>;
  /** Attributes of a successful read left out of `attributes`: the device's value does not convert. */
  leftOut?: LeftOutAttribute[];
  /** Set on create when the device object was created or bound. */
  obis?: string[];
  obps?: string[];
}

export interface DeviceAdapter {
  readonly protocol: Protocol;
  retrieve(device: DeviceRef, obj: MgmtObjRef, attributes: string[] | undefined, ctx: DeviceCallContext): Promise<DeviceOutcome>;
  /** Several mgmtObjs of one device in one request (a `<node>` with its children): each device object is read once. Outcomes in the order of `objs`. */
  retrieveAll(device: DeviceRef, objs: MgmtObjRef[], ctx: DeviceCallContext): Promise<DeviceOutcome[]>;
  /** Normal attributes are written first, then executable ones run (TS-0004 §7.4.15.2.4). */
  update(device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceOutcome>;
  create(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceOutcome>;
  delete(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceOutcome>;
}

export class AdapterRegistry {
  private readonly adapters = new Map<Protocol, DeviceAdapter>();

  register(adapter: DeviceAdapter): void {
    this.adapters.set(adapter.protocol, adapter);
  }

  get(protocol: string | undefined): DeviceAdapter | undefined {
    return protocol ? this.adapters.get(protocol as Protocol) : undefined;
  }
}

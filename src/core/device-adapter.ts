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

/**
 * What an adapter tells the core while a call runs; the call's promise carries the final report.
 * - `sent`: the first command left for the device; from now on it can no longer be withdrawn unsent.
 * - `accepted`: the device accepted and the final result comes later (an Execute that starts a firmware update). `report`
 *   is what the device said so far, mapped through the status tables (a blocking request is answered with it) and its
 *   attributes stored on the mgmtObj; report `accepted` again whenever the device reports progress (new attributes).
 *   `resume` is the adapter's own JSON data to carry on after a restart (see DeviceAdapter.resume).
 */
export type DeviceCallProgress =
  | { state: 'sent' }
  | { state: 'accepted'; report: DeviceReport; resume: unknown };

export interface DeviceCallContext {
  requestId: string;
  originator: string;
  /**
   * Absolute deadline, epoch ms (from X-M2M-RET or the configured default). Once the call is `accepted` it becomes the
   * progress deadline (PROGRESS_TIMEOUT_S from then): read it again after progress().
   */
  readonly deadline: number;
  /**
   * Aborted when the deadline passes, when the operation is withdrawn (its `<request>` deleted), at shutdown and, for a
   * blocking request only, when its client goes away. Commands not yet sent are then never sent.
   */
  signal: AbortSignal;
  /** Reports how the call is going (never throws); the core persists what must survive a restart. */
  progress(update: DeviceCallProgress): void;
}

/** An attribute the device reported a value for that does not convert to a oneM2M value. */
export interface LeftOutAttribute {
  /** Short name. */
  attribute: string;
  /** What the device reported and why it is no value of the attribute. */
  reason: string;
}

/** oneM2M-side operation rows of the OMA DM status tables (update = replace data, execute = update of an executable attribute). */
export type OneM2MOperation = 'create' | 'retrieve' | 'update' | 'execute' | 'delete';
/**
 * Rows of `mappings/status/lwm2m.yaml` keyed by what a device reports at the end of long work it accepted (the Update
 * Result of /5 and /9), not by a CoAP code.
 */
export const LWM2M_RESULT_OPERATIONS = ['firmware-update-result', 'software-update-result'] as const;
export type Lwm2mResultOperation = (typeof LWM2M_RESULT_OPERATIONS)[number];
/** LwM2M operation rows of `mappings/status/lwm2m.yaml`. */
export type Lwm2mOperation = 'create' | 'read' | 'write' | 'execute' | 'delete' | 'discover' | 'write-attributes' | 'observe' | Lwm2mResultOperation;
/** A row set of a status table; the LwM2M table also answers to the oneM2M names (retrieve = read, update = write). */
export type StatusOperation = OneM2MOperation | Lwm2mOperation;

/** Outcomes of reaching a device that carry no device code (rows under `transport:` in the status tables). */
export const TRANSPORT_OUTCOMES = ['timeout', 'not-registered', 'sleeping', 'decode-error', 'session-timeout', 'trigger-failed', 'queue-full'] as const;
export type TransportOutcome = (typeof TRANSPORT_OUTCOMES)[number];

/**
 * Outcomes the proxy decides without asking the device (rows under `proxy:` in the status tables): no technology object
 * is mapped to the mgmtObj type, its objectPaths name no instance, a value cannot be written, the Update leaves nothing
 * to send, or the adapter gave no result by the request's deadline.
 */
export const PROXY_OUTCOMES = ['unmapped', 'no-instance', 'invalid-value', 'nothing-to-send', 'expired'] as const;
export type ProxyOutcome = (typeof PROXY_OUTCOMES)[number];

/**
 * What a device said (or what became of asking it), in the device's own terms. The core maps it through the status
 * table `mappings/status/<technology>.yaml`, row `operation`, code `code`, and the status profile: the row decides the
 * RSC and whether it is final (an `accepted` or `n/a` row keeps the request waiting).
 */
export interface DeviceReport {
  technology: Protocol;
  operation: StatusOperation;
  /** A device code (CoAP `2.04`, OMA DM `404`), a transport outcome or a proxy outcome. */
  code: string;
  /** What the adapter knows beyond the code (the step, the steps already done...); m2m:dbg is the row's label followed by it. */
  detail?: string;
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
  /**
   * Whether a device object of this technology is mapped to the mgmtObj specialization (`firmware`, ...). One that is
   * not (a CMDH policy, a dataCollection on an LwM2M device) is held by the proxy: stored and served, never sent.
   */
  serves(type: string): boolean;
  retrieve(device: DeviceRef, obj: MgmtObjRef, attributes: string[] | undefined, ctx: DeviceCallContext): Promise<DeviceReport>;
  /** Several mgmtObjs of one device in one request (a `<node>` with its children): each device object is read once. Reports in the order of `objs`. */
  retrieveAll(device: DeviceRef, objs: MgmtObjRef[], ctx: DeviceCallContext): Promise<DeviceReport[]>;
  /** Normal attributes are written first, then executable ones run (TS-0004 §7.4.15.2.4). */
  update(device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceReport>;
  create(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport>;
  delete(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport>;
  /**
   * Carries on, after a restart, a call the device had accepted: `resume` is what the adapter gave with its last
   * `accepted` progress. Resolves with the final report, as the original call would have.
   */
  resume(device: DeviceRef, obj: MgmtObjRef, resume: unknown, ctx: DeviceCallContext): Promise<DeviceReport>;
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

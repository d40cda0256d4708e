/**
 * The DM 2.0 packages as the proxy reads and writes them (OMA-TS-DM_Protocol-V2_0; no SyncML, no CmdIDs).
 * Package 1 (device -> proxy): the MOs it supports and why it opened the session; package 2 (proxy -> device): commands
 * in order; package 3 (device -> proxy): one Status per command of the package 2 before, in the same order.
 */

/** The session alert types of package 1. */
export const DM2_SESSION_ALERTS = {
  clientInitiated: 'urn:oma:at:dm:2.0:ClientInitiatedMgmt',
  serverInitiated: 'urn:oma:at:dm:2.0:ServerInitiatedMgmt',
  bootstrapComplete: 'urn:oma:at:dm:2.0:BootstrapComplete',
} as const;

export type Dm2SessionAlertKind = keyof typeof DM2_SESSION_ALERTS;

/** One MO the device supports: `MOS` entry of package 1. */
export interface Dm2Mo {
  /** URL of the MO's DDF, when given. */
  ddf?: string;
  /** MO identifier, e.g. `urn:oma:mo:oma-dm-devinfo:1.0`. */
  moid: string;
  /** Instance ids the device has of it (empty string: the single instance). */
  miids: string[];
}

/** A Generic Alert (package 1 or 3; the proxy does not answer them one by one). */
export interface Dm2GenericAlert {
  alertType: string;
  sourceUri?: string;
  targetUri?: string;
  mark?: string;
  dataType?: string;
  /** Any JSON value (DM 1.x payloads come as `{"DM1x": ...}`). */
  data?: unknown;
}

/** Package 1, decoded. */
export interface Dm2Initiation {
  /** The `OMADM-DevID` header. */
  devId: string;
  mos: Dm2Mo[];
  /** Why the session was opened (absent: the device named none, taken as client-initiated). */
  sessionAlert?: { kind: Dm2SessionAlertKind; notificationId?: number };
  genericAlerts: Dm2GenericAlert[];
}

/** Commands of package 2 (server support MUST/SHOULD per the protocol). */
export const DM2_COMMAND_NAMES = ['HGET', 'HPUT', 'HPOST', 'GET', 'DELETE', 'EXEC', 'SHOW', 'SUB', 'UNSUB', 'CONT', 'END', 'DEFAULT'] as const;
export type Dm2CommandName = (typeof DM2_COMMAND_NAMES)[number];

/**
 * One command as it goes on the wire: `[name, arg1, arg2, ...]`, every argument a string:
 * `['HGET', serverUri, clientUri?]`, `['HPUT' | 'HPOST', serverUri, clientUri, ...]`, `['GET' | 'DELETE' | 'UNSUB', clientUri]`,
 * `['EXEC', clientUri, serverUri?]`, `['SHOW' | 'CONT', serverUri]`, `['SUB', clientUri, serverUri]`, `['DEFAULT', moid, serverUri]`, `['END']`.
 */
export type Dm2Command = readonly [Dm2CommandName, ...string[]];

/** DM 2.0 JSON MO data: one subtree of the device's tree (GET data in package 3, HPUT/HPOST bodies, HGET bodies). */
export interface Dm2MoData {
  ddf?: string;
  clientUri: string;
  /** Cache validator of the data (sent back in `cv=` of a later GET: 304 when unchanged). */
  cv?: string;
  /** The subtree's values (leaf value or object of children), as the device serialised them. */
  moData: unknown;
}

/** One Status of package 3: the result of the command at the same position in the package 2 before. */
export interface Dm2Status {
  /** Status code (HTTP-like: 200, 202, 304, 404, 419 ServerURI Error...). */
  sc: number;
  /** ClientURIs the command touched (HGET without ClientURI: where the device put the data). */
  uris?: string[];
  /** GET's data, when it is DM 2.0 JSON MO data. */
  moData?: Dm2MoData[];
  /** `Data` when it is anything else (a string such as TNDS XML, or another JSON value). */
  data?: unknown;
}

/** Package 3, decoded. */
export interface Dm2Response {
  statuses: Dm2Status[];
  genericAlerts: Dm2GenericAlert[];
}

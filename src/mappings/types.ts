/** The API the rest of the proxy uses to read the declarative mapping tables in `mappings/`. */
import type { Protocol } from '../core/protocols.js';

import type { Lwm2mOperation, Lwm2mResultOperation, OneM2MOperation, StatusOperation } from '../core/device-adapter.js';

export type { Lwm2mOperation, Lwm2mResultOperation, OneM2MOperation, StatusOperation };
/** There is one status table per device protocol. */
export type StatusProtocol = Protocol;

export interface StatusMapping {
  /** Vocabulary label, e.g. `success`, `error - not found`. */
  label: string;
  rsc: number;
  rscName: string;
  http: number;
  /** false for `n/a` / accepted outcomes: keep waiting for the final result. */
  final: boolean;
  description?: string;
  /** `exact` when a row names the code, `default` when a per-class default row answered. */
  matched: 'exact' | 'default';
  /** Answer with the data the proxy already holds (OMA DM 2.0 304 Not Modified on retrieve). */
  useCachedData?: boolean;
}

export type AccessMode = 'R' | 'W' | 'RW';

/** m2m:actionStatus: `acn` names the action, `sus` its m2m:status (0 uninitialized, 1 successful, 2 failure, 3 in process). */
export interface ActionStatusValue {
  acn: string;
  sus: number;
}

/**
 * How to follow long work an executable attribute starts (firmware Update, software Install): the resources of the
 * `status` attribute are observed until its converter's `sus` is 2 (failure) or equals `success`.
 */
export interface Lwm2mProgressMapping {
  /** Short name of the status attribute (uds, ins) in the same mgmtObj. */
  status: string;
  /** Status-table row keyed by the value of the status attribute's last resource (the Update Result) at the end. */
  results: Lwm2mResultOperation;
  /** The status that ends the work successfully; default `{ acn: <the executable attribute>, sus: 1 }`. */
  success: ActionStatusValue;
}

export interface Lwm2mAttributeMapping {
  /** oneM2M attribute short name. */
  attribute: string;
  /** LwM2M resource IDs within the object instance; the first one is written or executed. */
  resources: number[];
  access: AccessMode;
  executable: boolean;
  converter?: string;
  /** On an executable attribute: the work it starts completes later and is followed this way. */
  progress?: Lwm2mProgressMapping;
}

export interface Lwm2mMgmtObjMapping {
  /** Specialization long name: firmware, deviceInfo, ... */
  mgmtObj: string;
  objectId: number;
  multiInstance: boolean;
  attributes: Lwm2mAttributeMapping[];
  /** O(1) lookup by attribute short name. */
  byAttribute: ReadonlyMap<string, Lwm2mAttributeMapping>;
}

export interface OmadmAttributeMapping {
  attribute: string;
  /** Node path relative to the MO root, e.g. `PkgName`, `DownloadAndUpdate/PkgURL`; absolute when it starts with `./`; `{instance}` = the MO instance node. */
  path: string;
  /** DM 2.0 node path where it differs from DM 1.x (DM 2.0 DevInfo absorbed the DevDetail leaves). */
  dm20Path?: string;
  access: AccessMode;
  executable: boolean;
  converter?: string;
}

export interface OmadmMgmtObjMapping {
  mgmtObj: string;
  /** Management object identifier (URN), e.g. `urn:oma:mo:oma-fumo:1.0`. */
  moUrn: string;
  /** Default root path of the MO on the device, e.g. `./FUMO`. */
  rootPath: string;
  attributes: OmadmAttributeMapping[];
  byAttribute: ReadonlyMap<string, OmadmAttributeMapping>;
}

export interface MappingSet {
  /** Never throws for a known protocol/operation: unknown codes fall to the table's per-class default row. */
  status(protocol: StatusProtocol, operation: StatusOperation, code: string): StatusMapping;
  lwm2mByMgmtObj(mgmtObj: string): Lwm2mMgmtObjMapping | undefined;
  /** All mgmtObj specializations fed by one LwM2M object (object 3 feeds deviceInfo, memory, battery, reboot). */
  lwm2mByObjectId(objectId: number): readonly Lwm2mMgmtObjMapping[];
  omadmByMgmtObj(mgmtObj: string): OmadmMgmtObjMapping | undefined;
}

/** Named value converters referenced by the attribute tables. */
export interface ConverterRegistry {
  /** Device values (one per mapped resource, in table order) to the oneM2M attribute value. */
  fromDevice(converter: string | undefined, values: unknown[], attribute: string): unknown;
  /** oneM2M attribute value to the device value of the first mapped resource. */
  toDevice(converter: string | undefined, value: unknown, attribute: string): unknown;
}

export interface MappingHealth {
  ok: boolean;
  loadedAt: string;
  reloadFailures: number;
  lastErrors: string[];
}

/** Holds the current good set; hot reload swaps it atomically. */
export interface MappingService {
  current(): MappingSet;
  health(): MappingHealth;
  close(): Promise<void>;
}

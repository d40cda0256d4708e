import type { SyncmlEncoding } from '../../omadm/v13/codec/index.js';
import { DEFAULT_IDENTITY, type DeviceIdentity } from './default-tree.js';
import { DEFAULT_EXEC_BEHAVIOUR, type ExecBehaviour } from './exec-operations.js';
import type { DmSimEventSink } from './events.js';

export type DmVersion = '1.2' | '1.3';
export type DmSimAuth = 'basic' | 'md5' | 'hmac';

export interface DmDeviceOptions {
  /** DevInfo/DevId and the SyncHdr Source (`IMEI:4711`). */
  devId: string;
  /** The DM server's URL (SyncHdr Target; every session's first POST goes there). */
  server: string;
  /** VerProto DM/1.2 or DM/1.3 and DevInfo/DmV (default 1.2); VerDTD is 1.2 for both. */
  version?: DmVersion;
  /** Cred type (default md5; hmac: an x-syncml-hmac header on every message, no Cred); no Cred at all without `user`. */
  auth?: DmSimAuth;
  user?: string;
  secret?: string;
  /** The server's id in the device's DMAcc: the user name of the server's Cred and the ACL principal (default dm-proxy). */
  serverId?: string;
  /** Check the server's Cred (hmac: the signature of every answer) with this secret (its type is `auth`); unset: the server is not checked. */
  serverSecret?: string;
  /** MaxMsgSize the device announces (default 16384, as libdmclient). */
  maxMsgSize?: number;
  /**
   * MaxObjSize the device announces; set, it supports large objects (DevDetail/LrgObj true): Results bigger than the
   * server's MaxMsgSize go in chunks, chunked Replace/Add are accepted (213 per chunk, 424 on a size mismatch, 413 over
   * this size). Unset (default): no large objects, as libdmclient (LrgObj false, MoreData ignored).
   */
  maxObjSize?: number;
  /** Post with the DM media type (default) or the DS type libdmclient uses (`application/vnd.syncml+xml`). */
  mediaType?: 'dm' | 'ds';
  /** Post SyncML XML (default) or WBXML (`application/vnd.syncml.dm+wbxml`, or the DS type with `mediaType: 'ds'`). */
  encoding?: SyncmlEncoding;
  /** Status for a write the ACL forbids: 425 as libdmclient (default), 405 as other clients. */
  deniedStatus?: 425 | 405;
  exec?: Partial<ExecBehaviour>;
  identity?: Partial<Omit<DeviceIdentity, 'devId' | 'dmVersion'>>;
  /** How long one HTTP exchange may take (default 10000 ms). */
  requestTimeoutMs?: number;
  /** An https server is trusted when its certificate chains to this CA (PEM) rather than to the system's CAs. */
  ca?: string | Buffer;
  /** Every event also goes here (the CLI prints them). */
  sink?: DmSimEventSink;
}

export interface ResolvedDmOptions {
  devId: string;
  server: string;
  version: DmVersion;
  auth: DmSimAuth;
  user?: string;
  secret?: string;
  serverId: string;
  serverSecret?: string;
  maxMsgSize: number;
  maxObjSize?: number;
  mediaType: 'dm' | 'ds';
  encoding: SyncmlEncoding;
  deniedStatus: 425 | 405;
  exec: ExecBehaviour;
  identity: DeviceIdentity;
  requestTimeoutMs: number;
  ca?: string | Buffer;
  sink?: DmSimEventSink;
}

export const DEFAULT_DM_SERVER = 'http://127.0.0.1:8090/dm';
export const DEFAULT_SERVER_ID = 'dm-proxy';

export function resolveDmOptions(options: DmDeviceOptions): ResolvedDmOptions {
  const version = options.version ?? '1.2';
  return {
    devId: options.devId,
    server: options.server,
    version,
    auth: options.auth ?? 'md5',
    user: options.user,
    secret: options.secret,
    serverId: options.serverId ?? DEFAULT_SERVER_ID,
    serverSecret: options.serverSecret,
    maxMsgSize: options.maxMsgSize ?? 16384,
    maxObjSize: options.maxObjSize,
    mediaType: options.mediaType ?? 'dm',
    encoding: options.encoding ?? 'xml',
    deniedStatus: options.deniedStatus ?? 425,
    exec: { ...DEFAULT_EXEC_BEHAVIOUR, ...options.exec },
    identity: { ...DEFAULT_IDENTITY, ...options.identity, devId: options.devId, dmVersion: version },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    ca: options.ca,
    sink: options.sink,
  };
}

import { DEFAULT_IDENTITY } from '../omadm/default-tree.js';
import { DEFAULT_EXEC_BEHAVIOUR, type ExecBehaviour } from '../omadm/exec-operations.js';
import type { DmSimEventSink } from '../omadm/events.js';
import type { Dm2Identity } from './default-instances.js';
import type { Dm2Auth } from './http-auth.js';

export interface Dm2DeviceOptions {
  /** DevInfo/DevID and the OMADM-DevID header (`IMEI:4711`). */
  devId: string;
  /** The DM server's URL: every session's package 1 goes there (or to an EXEC's ServerURI for its report). */
  server: string;
  /** basic (default): an Authorization header on every request to the server's origin; digest: answer its 401 challenge. */
  auth?: Dm2Auth;
  /** Without user and secret the device sends no Authorization. */
  user?: string;
  secret?: string;
  /** The server id a package 0 must name (SERVER-ID option) when it names one (default dm-proxy). */
  serverId?: string;
  /** The DM Account's Noti AuthSecret: package 0's SHA256-DIGEST and TIMESTAMP are checked; unset: taken unchecked. */
  serverSecret?: string;
  /** Noti AuthData (hashed after the notification; default none). */
  notificationAuthData?: string;
  /** A checked package 0 whose TIMESTAMP is further than this from now is refused (default 300 s). */
  notificationMaxAgeS?: number;
  exec?: Partial<ExecBehaviour>;
  identity?: Partial<Omit<Dm2Identity, 'devId'>>;
  /** How long one HTTP exchange may take (default 10000 ms). */
  requestTimeoutMs?: number;
  /** Every event also goes here (the CLI prints them). */
  sink?: DmSimEventSink;
}

export interface ResolvedDm2Options {
  devId: string;
  server: string;
  auth: Dm2Auth;
  user?: string;
  secret?: string;
  serverId: string;
  serverSecret?: string;
  notificationAuthData?: string;
  notificationMaxAgeS: number;
  exec: ExecBehaviour;
  identity: Dm2Identity;
  requestTimeoutMs: number;
  sink?: DmSimEventSink;
}

export const DEFAULT_DM2_SERVER = 'http://127.0.0.1:8090/dm2';

export function resolveDm2Options(options: Dm2DeviceOptions): ResolvedDm2Options {
  return {
    devId: options.devId,
    server: options.server,
    auth: options.auth ?? 'basic',
    user: options.user,
    secret: options.secret,
    serverId: options.serverId ?? 'dm-proxy',
    serverSecret: options.serverSecret,
    notificationAuthData: options.notificationAuthData,
    notificationMaxAgeS: options.notificationMaxAgeS ?? 300,
    exec: { ...DEFAULT_EXEC_BEHAVIOUR, ...options.exec },
    identity: { ...DEFAULT_IDENTITY, ...options.identity, devId: options.devId },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    sink: options.sink,
  };
}

import type { InstanceContent, ObjectStore, ResourceContent } from './object-store.js';

/** Security (/0) and Server (/1) resources the simulator reads. */
const SERVER_URI = 0;
const IS_BOOTSTRAP = 1;
const SECURITY_MODE = 2;
const SECURITY_SSID = 10;
const SERVER_SSID = 0;
const LIFETIME = 1;
const BINDING = 7;
const NO_SEC = 3;

export interface SecurityAccount {
  instanceId: number;
  serverUri?: string;
  bootstrapServer: boolean;
  securityMode?: number;
  shortServerId?: number;
}

export interface ServerAccount {
  instanceId: number;
  shortServerId?: number;
  lifetime?: number;
  binding?: string;
}

/** The device's accounts: what a Bootstrap Server wrote (or the factory configuration). */
export interface AccountConfiguration {
  security: SecurityAccount[];
  servers: ServerAccount[];
}

export interface CoapAddress {
  host: string;
  port: number;
}

export const FACTORY_SHORT_SERVER_ID = 101;

export function coapUri({ host, port }: CoapAddress): string {
  return `coap://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The bootstrap account (/0/0) every simulated device starts with. */
export function bootstrapAccount(bootstrapServer: CoapAddress): InstanceContent {
  return new Map<number, ResourceContent>([
    [SERVER_URI, coapUri(bootstrapServer)],
    [IS_BOOTSTRAP, true],
    [SECURITY_MODE, NO_SEC],
    [3, Buffer.alloc(0)],
    [4, Buffer.alloc(0)],
    [5, Buffer.alloc(0)],
  ]);
}

/** A server account: Security and Server instances paired by their Short Server ID. */
export function serverAccount(server: CoapAddress, lifetime: number, shortServerId: number): { security: InstanceContent; server: InstanceContent } {
  return {
    security: new Map<number, ResourceContent>([
      [SERVER_URI, coapUri(server)],
      [IS_BOOTSTRAP, false],
      [SECURITY_MODE, NO_SEC],
      [3, Buffer.alloc(0)],
      [4, Buffer.alloc(0)],
      [5, Buffer.alloc(0)],
      [SECURITY_SSID, shortServerId],
    ]),
    server: new Map<number, ResourceContent>([
      [SERVER_SSID, shortServerId],
      [LIFETIME, lifetime],
      [6, false],
      [BINDING, 'U'],
    ]),
  };
}

export function readAccounts(store: ObjectStore): AccountConfiguration {
  const security = store.instanceIds(0).map((instanceId): SecurityAccount => {
    const get = (rid: number): unknown => store.get(0, instanceId, rid);
    return {
      instanceId,
      serverUri: optional(get(SERVER_URI), String),
      bootstrapServer: get(IS_BOOTSTRAP) === true,
      securityMode: optional(get(SECURITY_MODE), Number),
      shortServerId: optional(get(SECURITY_SSID), Number),
    };
  });
  const servers = store.instanceIds(1).map((instanceId): ServerAccount => {
    const get = (rid: number): unknown => store.get(1, instanceId, rid);
    return {
      instanceId,
      shortServerId: optional(get(SERVER_SSID), Number),
      lifetime: optional(get(LIFETIME), Number),
      binding: optional(get(BINDING), String),
    };
  });
  return { security, servers };
}

/** Whether /0/<instanceId> is the bootstrap account (Bootstrap-Delete never removes it). */
export function isBootstrapAccount(store: ObjectStore, instanceId: number): boolean {
  return store.get(0, instanceId, IS_BOOTSTRAP) === true;
}

/** The LwM2M Server account usable for Register: a non-bootstrap Security instance with a Server instance of the same Short Server ID. */
export function usableServerAccount(config: AccountConfiguration): { security: SecurityAccount; server: ServerAccount } | undefined {
  for (const security of config.security) {
    if (security.bootstrapServer || security.shortServerId === undefined) continue;
    const server = config.servers.find((candidate) => candidate.shortServerId === security.shortServerId);
    if (server) return { security, server };
  }
  return undefined;
}

/** `coap://host:port` (IPv6 in brackets) → address; undefined when not a coap URI. */
export function parseCoapUri(uri: string | undefined): CoapAddress | undefined {
  if (!uri || !URL.canParse(uri)) return undefined;
  const url = new URL(uri);
  if (url.protocol !== 'coap:') return undefined;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 5683 : Number(url.port) };
}

function optional<T>(value: unknown, convert: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : convert(value);
}

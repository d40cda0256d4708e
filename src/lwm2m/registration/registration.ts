import { isIPv6 } from 'node:net';
import type { DeviceRegistration } from '../../store/registration-store.js';

/**
 * One LwM2M client's registration with this Server, as stored (registration kind `lwm2m`). `address`/`port`: the
 * source of the latest Register/Update (IPv4 in plain form).
 */
export interface Registration extends DeviceRegistration {
  version: string;
  binding: string;
  queueMode: boolean;
  /** Seconds. */
  lifetime: number;
  sms?: string;
  /** Alternate root path (`/lwm2m`), '' for the default root. */
  rootPath: string;
  preferredFormat?: number;
  /** `[oid, iid]` per instance link, `[oid]` for an object announced without instances. Security (/0) excluded. */
  objects: number[][];
  /** Object versions announced with `ver=`, by object ID. */
  objectVersions: Record<string, string>;
  /** Epoch ms. */
  registeredAt: number;
  lastUpdate: number;
  lastSeen: number;
}

export const REGISTRATION_KIND = 'lwm2m';

export function registrationLocation(registration: Registration): string {
  return `/rd/${registration.id}`;
}

export function expiresAt(registration: Registration, graceSeconds: number): number {
  return registration.lastUpdate + (registration.lifetime + graceSeconds) * 1000;
}

/** `coap://127.0.0.1:5683`, `coap://[::1]:5683`. */
export function coapUri(address: string, port: number): string {
  return `coap://${isIPv6(address) ? `[${address}]` : address}:${port}`;
}

export function objectPath(registration: Registration, link: number[]): string {
  return `${registration.rootPath}/${link.join('/')}`;
}

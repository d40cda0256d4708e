import type { ResourceValue } from '../formats/model.js';
import type { BootstrapConfig } from './bootstrap-config.js';

/** Security (/0) and Server (/1) resource IDs and values written by Bootstrap-Write (reference §6.7). */
const SECURITY = 0;
const SERVER = 1;
const SECURITY_MODE = { psk: 0, nosec: 3 } as const;

/** The Security instance of the LwM2M Server account, at `/0/<instanceId>`. */
export function securityInstance(config: BootstrapConfig, instanceId: number): ResourceValue[] {
  const psk = config.security.mode === 'psk' ? config.security : undefined;
  const resource = (id: number, value: ResourceValue['value']): ResourceValue => ({ path: [SECURITY, instanceId, id], value });
  return [
    resource(0, config.server.uri),
    resource(1, false),
    resource(2, SECURITY_MODE[config.security.mode]),
    resource(3, psk ? Buffer.from(psk.identity, 'utf8') : Buffer.alloc(0)),
    resource(4, Buffer.alloc(0)),
    resource(5, psk ? Buffer.from(psk.key, 'hex') : Buffer.alloc(0)),
    resource(10, config.server.shortServerId),
  ];
}

/** The Server instance of the account, at `/1/<instanceId>`, paired with the Security instance by Short Server ID. */
export function serverInstance(config: BootstrapConfig, instanceId: number): ResourceValue[] {
  const resource = (id: number, value: ResourceValue['value']): ResourceValue => ({ path: [SERVER, instanceId, id], value });
  return [
    resource(0, config.server.shortServerId),
    resource(1, config.server.lifetime),
    resource(6, true),
    resource(7, config.server.binding),
  ];
}

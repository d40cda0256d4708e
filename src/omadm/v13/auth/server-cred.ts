import type { Cred } from '../codec/index.js';
import type { DmDeviceRecord } from '../../../store/dm-credential-store.js';
import { SYNCML_AUTH_TYPES } from './auth-types.js';
import { basicCredentialData, md5CredentialData } from './digest.js';
import type { HmacKey } from './hmac-header.js';

/**
 * The Cred the proxy puts in its SyncHdr for this device: the device's auth type over the server id and secret; md5
 * over the nonce the device last gave the proxy (none yet: the empty nonce). None for hmac: the proxy signs its answer
 * (serverHmacKey) instead.
 */
export function serverCredFor(device: DmDeviceRecord): Cred | undefined {
  if (device.auth === 'hmac') return undefined;
  const { id, secret } = device.server;
  const data = device.auth === 'basic' ? basicCredentialData(id, secret) : md5CredentialData(id, secret, device.nonces.toServer);
  return { meta: { type: SYNCML_AUTH_TYPES[device.auth], format: 'b64' }, data };
}

/** The key the proxy signs its answers to an hmac device with: the server id and secret, the nonce the device last gave. */
export function serverHmacKey(device: DmDeviceRecord): HmacKey {
  return { user: device.server.id, secret: device.server.secret, nonce: device.nonces.toServer };
}

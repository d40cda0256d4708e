import type { Cred } from '../codec/index.js';
import type { DmDeviceRecord } from '../../../store/dm-credential-store.js';
import { authTypeOf } from './auth-types.js';
import { sameBytes } from '../../common/constant-time.js';
import { basicCredentialBytes, md5CredentialBytes } from './digest.js';

/** What the device's Cred proves: accepted, missing (no Cred), or invalid (wrong type, format or data). */
export type CredVerdict = 'accepted' | 'missing' | 'invalid';

/**
 * Checks the Cred of a device's SyncHdr against its stored credentials. md5 is computed over the nonce the proxy last
 * gave the device (none yet: the empty nonce, as clients compute their first Cred). Only the device's own auth type
 * is accepted: a device set to md5 cannot fall back to basic. Data is compared as decoded bytes, so an encoder that
 * wraps its base64 lines still matches.
 */
export function verifyClientCred(cred: Cred | undefined, device: DmDeviceRecord): CredVerdict {
  if (cred === undefined) return 'missing';
  // auth-MAC never travels in a Cred (OMA DM Security 5.1.4.1): an hmac device proves itself only with its header.
  if (device.auth === 'hmac') return 'invalid';
  if (cred.meta.format !== undefined && cred.meta.format.toLowerCase() !== 'b64') return 'invalid';
  if (authTypeOf(cred.meta.type) !== device.auth) return 'invalid';
  const received = Buffer.from(cred.data.trim(), 'base64');
  const { user, secret } = device.client;
  const expected = device.auth === 'basic' ? basicCredentialBytes(user, secret) : md5CredentialBytes(user, secret, device.nonces.toClient);
  return sameBytes(received, expected) ? 'accepted' : 'invalid';
}

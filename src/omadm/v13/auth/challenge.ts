import { randomBytes } from 'node:crypto';
import type { Chal } from '../codec/index.js';
import type { DmAuthType } from '../../../store/dm-credential-store.js';
import { SYNCML_AUTH_TYPES } from './auth-types.js';

/**
 * 16 bytes: the reference's minimum, and a length whose base64 ends in `==` (libdmclient reads a NextNonce ending in a
 * single `=` as empty).
 */
export const NONCE_BYTES = 16;

/** A fresh random NextNonce (base64 text). */
export function freshNonce(random: (size: number) => Buffer = randomBytes): string {
  return random(NONCE_BYTES).toString('base64');
}

/** Whether the auth type hashes a nonce (md5 Cred, hmac MAC): its Chal carries a NextNonce. */
export function usesNonce(auth: DmAuthType): boolean {
  return auth !== 'basic';
}

/** The Chal asking for `auth`; md5 and hmac carry the NextNonce the device must hash next, basic needs none. */
export function challengeFor(auth: DmAuthType, nextNonce: string): Chal {
  const meta = { type: SYNCML_AUTH_TYPES[auth], format: 'b64' };
  return { meta: usesNonce(auth) ? { ...meta, nextNonce } : meta };
}

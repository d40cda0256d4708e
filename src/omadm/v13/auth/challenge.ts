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

/** The Chal asking for `auth`; md5 carries the NextNonce the device must hash next, basic needs none. */
export function challengeFor(auth: DmAuthType, nextNonce: string): Chal {
  const meta = { type: SYNCML_AUTH_TYPES[auth], format: 'b64' };
  return { meta: auth === 'md5' ? { ...meta, nextNonce } : meta };
}

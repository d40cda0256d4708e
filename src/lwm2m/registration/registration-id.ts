import { RandomPool } from '../../core/random-pool.js';

const ids = new RandomPool(6);

/** A registration id (the `/rd/<id>` location): 6 random bytes as base64url. */
export function newRegistrationId(): string {
  return ids.draw('base64url');
}

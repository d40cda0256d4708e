import { randomFillSync } from 'node:crypto';

const ID_BYTES = 6;
const IDS_PER_FILL = 1024;
const pool = Buffer.alloc(ID_BYTES * IDS_PER_FILL);
let next = IDS_PER_FILL;

/**
 * A registration id (the `/rd/<id>` location): 6 random bytes as base64url. Drawn from a pool filled 1024 ids at a
 * time: one call into the system's random source per 1024 Registers instead of one each (it showed in the profile).
 */
export function newRegistrationId(): string {
  if (next === IDS_PER_FILL) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next++ * ID_BYTES;
  return pool.toString('base64url', start, start + ID_BYTES);
}

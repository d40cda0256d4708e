import { randomFillSync } from 'node:crypto';

const POOL_TOKENS = 512;
const TOKEN_BYTES = 8;
const pool = Buffer.alloc(POOL_TOKENS * TOKEN_BYTES);
let next = POOL_TOKENS;
let counter = 0;

/**
 * A CoAP token for a request of ours: a counter (unique among requests in flight) and 4 random bytes (hard to guess
 * off-path, RFC 7252 §5.3.1), as node-coap makes them, but with the random bytes drawn from a pool filled 512 tokens at
 * a time instead of one crypto call per request.
 */
export function newRequestToken(): Buffer {
  if (next === POOL_TOKENS) {
    randomFillSync(pool);
    next = 0;
  }
  const token = Buffer.allocUnsafe(TOKEN_BYTES);
  pool.copy(token, 0, next * TOKEN_BYTES, next * TOKEN_BYTES + TOKEN_BYTES);
  next++;
  counter = (counter + 1) >>> 0;
  token.writeUInt32BE(counter, 0);
  return token;
}

import { RandomPool } from '../../core/random-pool.js';

const TOKEN_BYTES = 8;
const random = new RandomPool(4);
let counter = 0;

/**
 * A CoAP token for a request of ours: a counter (unique among requests in flight) and 4 random bytes (hard to guess
 * off-path, RFC 7252 §5.3.1), as node-coap makes them, with the random bytes from a pool instead of one crypto call per
 * request.
 */
export function newRequestToken(): Buffer {
  const token = Buffer.allocUnsafe(TOKEN_BYTES);
  counter = (counter + 1) >>> 0;
  token.writeUInt32BE(counter, 0);
  random.drawInto(token, 4);
  return token;
}

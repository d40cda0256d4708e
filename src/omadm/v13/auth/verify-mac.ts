import { sameBytes } from '../../common/constant-time.js';
import { hmacBytes } from './digest.js';
import { type HmacKey, parseHmacHeader } from './hmac-header.js';

/** A message as it arrived: its exact body bytes and its x-syncml-hmac header, if any. */
export interface SignedMessage {
  body: Buffer;
  hmac?: string;
}

/** What the header proves: accepted, missing (no header), or invalid (malformed, another username or a wrong mac). */
export type MacVerdict = 'accepted' | 'missing' | 'invalid';

/**
 * Checks the x-syncml-hmac header of a message against the sender's key: the username must be the key's user and the
 * mac that of the exact body over the key's nonce. The mac is compared as decoded bytes, in constant time.
 */
export function verifyMac(message: SignedMessage | undefined, key: HmacKey): MacVerdict {
  if (message?.hmac === undefined) return 'missing';
  const header = parseHmacHeader(message.hmac);
  if (header === undefined || header.username !== key.user) return 'invalid';
  const received = Buffer.from(header.mac, 'base64');
  return sameBytes(received, hmacBytes(key.user, key.secret, key.nonce, message.body)) ? 'accepted' : 'invalid';
}

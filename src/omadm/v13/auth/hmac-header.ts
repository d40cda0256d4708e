import { hmacData } from './digest.js';

/** The HTTP header that carries a SyncML HMAC (OMA DM Security 5.1.4.3); lower case, as node reports header names. */
export const HMAC_HEADER = 'x-syncml-hmac';

/** What an x-syncml-hmac header says: who signs (the SyncHdr's Source/LocName) and the mac (base64 text). */
export interface HmacHeader {
  username: string;
  mac: string;
}

/** Whose key signs a message and over which nonce (the last NextNonce its peer gave; none yet: the empty nonce). */
export interface HmacKey {
  user: string;
  secret: string;
  nonce?: string;
}

/** A longer header is no HMAC header of ours (usernames are at most 256 characters, macs 24). */
const MAX_HEADER_LENGTH = 1024;
const PARAM = /^\s*([A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,"]*)\s*(?:,|$)/;

/**
 * Reads `algorithm=MD5, username="<id>", mac=<b64>` (RFC 2616 #rule: parameters in any order, algorithm optional and
 * MD5 when omitted, username a quoted-string); undefined when the header is malformed, names another algorithm, lacks
 * username or mac, or repeats a parameter (two headers joined by the HTTP layer).
 */
export function parseHmacHeader(value: string | undefined): HmacHeader | undefined {
  if (value === undefined || value.length > MAX_HEADER_LENGTH) return undefined;
  const params = new Map<string, string>();
  let rest = value.trim();
  while (rest.length > 0) {
    const match = PARAM.exec(rest);
    if (match === null) return undefined;
    const name = match[1].toLowerCase();
    if (params.has(name)) return undefined;
    const raw = match[2];
    params.set(name, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
    rest = rest.slice(match[0].length);
  }
  const algorithm = params.get('algorithm');
  const username = params.get('username');
  const mac = params.get('mac');
  if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return undefined;
  if (username === undefined || mac === undefined || mac === '') return undefined;
  return { username, mac };
}

/** The x-syncml-hmac header value that signs `body` with `key`. */
export function hmacHeaderFor(key: HmacKey, body: Buffer): string {
  const username = key.user.replace(/["\\]/g, '\\$&');
  return `algorithm=MD5, username="${username}", mac=${hmacData(key.user, key.secret, key.nonce, body)}`;
}

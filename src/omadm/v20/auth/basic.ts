import { sameBytes } from '../../common/constant-time.js';

/** RFC 7617: whether `Basic <b64(user:password)>` names this user and secret (constant-time; a malformed one does not). */
export function basicMatches(credentials: string, user: string, secret: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) return false;
  const decoded = Buffer.from(credentials, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return false;
  const userOk = sameBytes(decoded.subarray(0, colon), Buffer.from(user, 'utf8'));
  const secretOk = sameBytes(decoded.subarray(colon + 1), Buffer.from(secret, 'utf8'));
  return userOk && secretOk;
}

export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, '\\$&')}", charset="UTF-8"`;
}

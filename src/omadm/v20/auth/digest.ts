import { createHash } from 'node:crypto';
import { sameBytes } from '../../common/constant-time.js';
import { quoted } from './auth-params.js';

/** RFC 7616 algorithms the proxy offers and accepts (no -sess variants, no userhash). */
export type DigestAlgorithm = 'SHA-256' | 'MD5';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

const HASHES: Readonly<Record<DigestAlgorithm, string>> = { 'SHA-256': 'sha256', MD5: 'md5' };

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(HASHES[algorithm]).update(text, 'utf8').digest('hex');
}

/** The fields of an `Authorization: Digest ...` the proxy needs, as received. */
export interface DigestResponse {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop: 'auth';
  nc: string;
  cnonce: string;
  opaque?: string;
}

/** Reads the Digest parameters; undefined when one is missing or unsupported (qop other than auth, -sess, userhash). */
export function digestResponse(params: ReadonlyMap<string, string>): DigestResponse | undefined {
  const get = (name: string) => params.get(name);
  const algorithm = (get('algorithm') ?? 'MD5').toUpperCase() === 'SHA-256' ? 'SHA-256' : (get('algorithm') ?? 'MD5').toUpperCase() === 'MD5' ? 'MD5' : undefined;
  const [username, realm, nonce, uri, response, nc, cnonce] = ['username', 'realm', 'nonce', 'uri', 'response', 'nc', 'cnonce'].map(get);
  if (algorithm === undefined || get('qop') !== 'auth' || get('userhash') === 'true') return undefined;
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined || cnonce === undefined) return undefined;
  if (nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc)) return undefined;
  const opaque = get('opaque');
  return { username, realm, nonce, uri, response, algorithm, qop: 'auth', nc, cnonce, ...(opaque === undefined ? {} : { opaque }) };
}

/** The `response` a client with this secret computes (RFC 7616 3.4.1, qop=auth). */
export function expectedDigest(answer: Omit<DigestResponse, 'response'>, method: string, secret: string): string {
  const ha1 = hash(answer.algorithm, `${answer.username}:${answer.realm}:${secret}`);
  const ha2 = hash(answer.algorithm, `${method}:${answer.uri}`);
  return hash(answer.algorithm, `${ha1}:${answer.nonce}:${answer.nc}:${answer.cnonce}:${answer.qop}:${ha2}`);
}

/** Whether the response was computed with this user and secret (constant-time over the digests). */
export function digestMatches(answer: DigestResponse, method: string, user: string, secret: string): boolean {
  const userOk = sameBytes(Buffer.from(answer.username, 'utf8'), Buffer.from(user, 'utf8'));
  const responseOk = sameBytes(Buffer.from(answer.response.toLowerCase(), 'utf8'), Buffer.from(expectedDigest(answer, method, secret), 'utf8'));
  return userOk && responseOk;
}

/**
 * One WWW-Authenticate value per algorithm, the preferred (SHA-256) first (RFC 7616 3.7), each with its own nonce
 * (a client that tries both must not look like a replay).
 */
export function digestChallenges(realm: string, issueNonce: () => string, opaque: string, stale: boolean): string[] {
  return DIGEST_ALGORITHMS.map(
    (algorithm) => `Digest realm=${quoted(realm)}, qop="auth", algorithm=${algorithm}, nonce=${quoted(issueNonce())}, opaque=${quoted(opaque)}${stale ? ', stale=true' : ''}`,
  );
}

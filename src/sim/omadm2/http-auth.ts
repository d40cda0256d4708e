/**
 * HTTP authentication as the DM 2.0 device does it (reference §2: security is HTTP's): Basic sent with every request
 * to the DM server's origin, or Digest (RFC 7616, qop=auth, MD5 or SHA-256, also -sess) answering the server's
 * 401 WWW-Authenticate challenge and reusing its nonce (nc counting up) until the server calls it stale.
 */
import { createHash, randomBytes } from 'node:crypto';

export type Dm2Auth = 'basic' | 'digest';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  algorithm: string;
  opaque?: string;
  stale: boolean;
}

/** The challenges of a WWW-Authenticate header (several may be folded into one line): scheme → its parameters. */
export function parseChallenges(header: string | null): Array<{ scheme: string; params: Record<string, string> }> {
  if (!header) return [];
  const starts = [...header.matchAll(/(?:^|,)\s*([A-Za-z][\w-]*)\s+(?=[\w-]+=)/g)];
  return starts.map((match, index) => {
    const from = (match.index ?? 0) + match[0].length;
    const to = index + 1 < starts.length ? starts[index + 1].index : header.length;
    const params: Record<string, string> = {};
    for (const param of header.slice(from, to).matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
      params[param[1].toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3];
    }
    return { scheme: match[1].toLowerCase(), params };
  });
}

const HASHES: Record<string, string> = { 'md5': 'md5', 'sha-256': 'sha256' };

/** The Digest challenge the device answers: SHA-256 before MD5; undefined when none it can answer. */
export function pickDigestChallenge(header: string | null): DigestChallenge | undefined {
  const digests = parseChallenges(header)
    .filter((challenge) => challenge.scheme === 'digest' && challenge.params.nonce !== undefined)
    .map(({ params }) => ({
      realm: params.realm ?? '',
      nonce: params.nonce,
      qop: params.qop,
      algorithm: (params.algorithm ?? 'MD5').toUpperCase(),
      opaque: params.opaque,
      stale: (params.stale ?? '').toLowerCase() === 'true',
    }))
    .filter((challenge) => HASHES[challenge.algorithm.replace(/-SESS$/, '').toLowerCase()] !== undefined);
  return digests.find((challenge) => challenge.algorithm.startsWith('SHA-256')) ?? digests[0];
}

/** The Authorization header answering `challenge` for this request (RFC 7616 §3.4). */
export function digestAuthorization(
  challenge: DigestChallenge,
  request: { method: string; uri: string },
  credentials: { user: string; secret: string },
  nc: number,
  cnonce = randomBytes(12).toString('hex'),
): string {
  const hashName = HASHES[challenge.algorithm.replace(/-SESS$/, '').toLowerCase()];
  const hash = (text: string): string => createHash(hashName).update(text, 'utf8').digest('hex');
  const qop = challenge.qop === undefined ? undefined : challenge.qop.split(',').map((option) => option.trim()).includes('auth') ? 'auth' : undefined;
  const ncText = nc.toString(16).padStart(8, '0');
  let ha1 = hash(`${credentials.user}:${challenge.realm}:${credentials.secret}`);
  if (challenge.algorithm.endsWith('-SESS')) ha1 = hash(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = hash(`${request.method}:${request.uri}`);
  const response = qop ? hash(`${ha1}:${challenge.nonce}:${ncText}:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const quote = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1')}"`;
  const fields = [
    `username=${quote(credentials.user)}`, `realm=${quote(challenge.realm)}`, `uri=${quote(request.uri)}`, `algorithm=${challenge.algorithm}`,
    `nonce=${quote(challenge.nonce)}`,
    ...(qop ? [`nc=${ncText}`, `cnonce=${quote(cnonce)}`, `qop=${qop}`] : []),
    `response=${quote(response)}`,
    ...(challenge.opaque !== undefined ? [`opaque=${quote(challenge.opaque)}`] : []),
  ];
  return `Digest ${fields.join(', ')}`;
}

export function basicAuthorization(credentials: { user: string; secret: string }): string {
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.secret}`, 'utf8').toString('base64')}`;
}

export type AuthedResponse = { response: Response; challenged: boolean; authenticated: boolean };

/**
 * The device's HTTP client for one origin's credentials: adds Authorization, answers one 401 challenge per request
 * (Digest; a stale nonce is taken again), and remembers the Digest challenge for the next requests.
 */
export class HttpAuthenticator {
  private challenge: DigestChallenge | undefined;
  private nc = 0;

  constructor(
    private readonly auth: Dm2Auth,
    private readonly credentials: () => { user: string; secret: string } | undefined,
    private readonly origin: string,
  ) {}

  async fetch(url: string, init: RequestInit): Promise<AuthedResponse> {
    const credentials = this.credentials();
    const sameOrigin = new URL(url).origin === this.origin;
    if (!credentials || !sameOrigin) return { response: await fetch(url, init), challenged: false, authenticated: false };
    const first = await fetch(url, this.withAuthorization(url, init, credentials));
    const sent = this.auth === 'basic' || this.challenge !== undefined;
    if (first.status !== 401 || this.auth !== 'digest') return { response: first, challenged: false, authenticated: sent && first.ok };
    const challenge = pickDigestChallenge(first.headers.get('www-authenticate'));
    // A refused answer to a fresh challenge is a wrong secret: asking again would be refused again.
    if (!challenge || (sent && !challenge.stale && challenge.nonce === this.challenge?.nonce)) return { response: first, challenged: !!challenge, authenticated: false };
    await first.body?.cancel();
    this.challenge = challenge;
    this.nc = 0;
    const second = await fetch(url, this.withAuthorization(url, init, credentials));
    return { response: second, challenged: true, authenticated: second.ok };
  }

  private withAuthorization(url: string, init: RequestInit, credentials: { user: string; secret: string }): RequestInit {
    let authorization: string | undefined;
    if (this.auth === 'basic') authorization = basicAuthorization(credentials);
    else if (this.challenge) {
      const { pathname, search } = new URL(url);
      authorization = digestAuthorization(this.challenge, { method: init.method ?? 'GET', uri: `${pathname}${search}` }, credentials, ++this.nc);
    }
    if (!authorization) return init;
    return { ...init, headers: { ...(init.headers as Record<string, string>), authorization } };
  }
}

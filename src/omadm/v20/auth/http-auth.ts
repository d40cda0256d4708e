import type { Dm2DeviceRecord } from '../../../store/dm-credential-store.js';
import { authScheme, parseAuthParams } from './auth-params.js';
import { basicChallenge, basicMatches } from './basic.js';
import { digestChallenges, digestMatches, digestResponse } from './digest.js';
import type { DigestNonces } from './nonces.js';

/** What the authenticator needs of one HTTP request. */
export interface HttpAuthRequest {
  method: string;
  /** The request-target as received (path and query): a Digest `uri` must name it. */
  uri: string;
  authorization?: string;
}

/**
 * Accepted, or 401 with the WWW-Authenticate values to send and the reason (for the log, never for the device);
 * `failed`: credentials were presented and are wrong (a lockout counts these; a first request without any, or a stale
 * nonce, is a challenge, not a failure).
 */
export type HttpAuthVerdict = { ok: true } | { ok: false; challenges: string[]; reason: string; failed: boolean };

/**
 * HTTP authentication of DM 2.0 devices, per device: Basic (RFC 7617) or Digest (RFC 7616, qop=auth, SHA-256 or
 * MD5). A device without credentials gets a Digest challenge like any other, so the answer tells nothing about
 * which DevIds exist.
 */
export class Dm2Authenticator {
  constructor(
    private readonly realm: string,
    private readonly nonces: DigestNonces,
    /** Sent in every Digest challenge and expected back (RFC 7616 opaque); the same after a restart. */
    private readonly opaque: string,
  ) {}

  verify(device: Dm2DeviceRecord | undefined, request: HttpAuthRequest): HttpAuthVerdict {
    if (device?.auth === 'basic') return this.verifyBasic(device, request);
    return this.verifyDigest(device, request);
  }

  private verifyBasic(device: Dm2DeviceRecord, request: HttpAuthRequest): HttpAuthVerdict {
    const refuse = (reason: string, failed = true): HttpAuthVerdict => ({ ok: false, challenges: [basicChallenge(this.realm)], reason, failed });
    if (request.authorization === undefined) return refuse('no Authorization header', false);
    const { scheme, rest } = authScheme(request.authorization);
    if (scheme !== 'basic') return refuse(`Authorization scheme ${scheme} where Basic is expected`);
    return basicMatches(rest, device.client.user, device.client.secret) ? { ok: true } : refuse('wrong user or secret');
  }

  private verifyDigest(device: Dm2DeviceRecord | undefined, request: HttpAuthRequest): HttpAuthVerdict {
    const refuse = (reason: string, stale = false, failed = !stale): HttpAuthVerdict => ({
      ok: false, challenges: digestChallenges(this.realm, () => this.nonces.issue(), this.opaque, stale), reason, failed,
    });
    if (request.authorization === undefined) return refuse('no Authorization header', false, false);
    const { scheme, rest } = authScheme(request.authorization);
    if (scheme !== 'digest') return refuse(`Authorization scheme ${scheme} where Digest is expected`);
    const params = parseAuthParams(rest);
    const answer = params && digestResponse(params);
    if (answer === undefined) return refuse('malformed or unsupported Digest parameters');
    if (device === undefined) return refuse('no DM 2.0 credentials for this DevId');
    if (answer.realm !== this.realm || answer.uri !== request.uri || (answer.opaque !== undefined && answer.opaque !== this.opaque)) {
      return refuse('Digest realm, uri or opaque does not match the request');
    }
    if (!digestMatches(answer, request.method, device.client.user, device.client.secret)) return refuse('wrong user or secret');
    const nonce = this.nonces.check(answer.nonce, answer.nc);
    if (nonce === 'stale') return refuse('stale nonce', true);
    if (nonce !== 'fresh') return refuse(nonce === 'replayed' ? 'nonce count replayed' : 'nonce not issued by this proxy');
    return { ok: true };
  }
}

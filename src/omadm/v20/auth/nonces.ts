import { createHmac, randomBytes } from 'node:crypto';
import { sameBytes } from '../../common/constant-time.js';

export type NonceState = 'fresh' | 'stale' | 'unknown' | 'replayed';

/** Nonces whose last nonce-count is remembered at most (the oldest is forgotten first). */
const REMEMBERED_NONCES = 10_000;

/**
 * Digest nonces without per-nonce state at issue: `base64url(issuedAt | 16 random bytes | HMAC(key, both)[0..16])`.
 * The key lives in the store, so a nonce issued before a restart is still recognised after it. Within their
 * lifetime a nonce's nonce-count must grow (a replay is refused); past it the nonce is stale (the client retries with
 * a fresh one, RFC 7616 `stale=true`).
 */
export class DigestNonces {
  private readonly lastCount = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const body = Buffer.alloc(24);
    body.writeDoubleBE(this.now(), 0);
    randomBytes(16).copy(body, 8);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** Checks a nonce and records its nonce-count (hex, as received). */
  check(nonce: string, nc: string): NonceState {
    if (!/^[A-Za-z0-9_-]{54}$/.test(nonce)) return 'unknown';
    const bytes = Buffer.from(nonce, 'base64url');
    const body = bytes.subarray(0, 24);
    if (!sameBytes(bytes.subarray(24), this.mac(body))) return 'unknown';
    if (this.now() - body.readDoubleBE(0) > this.lifetimeMs) return 'stale';
    const count = Number.parseInt(nc, 16);
    const last = this.lastCount.get(nonce);
    if (last !== undefined && count <= last) return 'replayed';
    this.lastCount.delete(nonce);
    this.lastCount.set(nonce, count);
    if (this.lastCount.size > REMEMBERED_NONCES) this.lastCount.delete(this.lastCount.keys().next().value!);
    return 'fresh';
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16);
  }
}

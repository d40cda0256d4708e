/** Failed authentications of one DevId. */
interface FailureCount {
  /** Epoch ms of the first failure of the current window. */
  since: number;
  count: number;
  /** Epoch ms until which the DevId is refused outright. */
  lockedUntil: number;
}

export interface AuthFailureLimits {
  /** Failures within `windowMs` that lock the DevId out. */
  maxFailures: number;
  windowMs: number;
  /** How long a locked-out DevId is refused without a look at its Cred. */
  lockoutMs: number;
  /** DevIds remembered at most (memory stays bounded whatever DevIds strangers send). */
  maxDevIds: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { maxFailures: 5, windowMs: 60_000, lockoutMs: 300_000, maxDevIds: 10_000 };

/**
 * Failed authentications per DevId across sessions (a new SessionID gives no fresh tries): after `maxFailures` in
 * `windowMs` the DevId is locked out for `lockoutMs`. In memory only: a lockout must cost no store write.
 */
export class AuthFailureLimiter {
  private readonly counts = new Map<string, FailureCount>();

  constructor(private readonly limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS) {}

  lockedOut(devId: string, now: number): boolean {
    return (this.counts.get(devId)?.lockedUntil ?? 0) > now;
  }

  failed(devId: string, now: number): void {
    const { maxFailures, windowMs, lockoutMs } = this.limits;
    const known = this.counts.get(devId);
    const count = known !== undefined && now - known.since <= windowMs ? { ...known, count: known.count + 1 } : { since: now, count: 1, lockedUntil: known?.lockedUntil ?? 0 };
    if (count.count >= maxFailures) count.lockedUntil = now + lockoutMs;
    this.counts.delete(devId);
    this.counts.set(devId, count);
    this.bound(now);
  }

  succeeded(devId: string): void {
    this.counts.delete(devId);
  }

  /** Forgets what no longer matters, then (a flood of DevIds) the least recently failed. */
  private bound(now: number): void {
    if (this.counts.size <= this.limits.maxDevIds) return;
    for (const [devId, count] of this.counts) {
      if (count.lockedUntil <= now && now - count.since > this.limits.windowMs) this.counts.delete(devId);
    }
    for (const devId of this.counts.keys()) {
      if (this.counts.size <= this.limits.maxDevIds) break;
      this.counts.delete(devId);
    }
  }
}

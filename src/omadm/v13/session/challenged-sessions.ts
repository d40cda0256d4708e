import type { DmSessionRecord } from './session-record.js';

/**
 * Sessions whose device has not authenticated yet (challenged, waiting for its retry): in memory only and bounded, so
 * strangers' messages cost no store write and no unbounded state. Lost on a restart: the device is challenged again.
 */
export class ChallengedSessions {
  private readonly sessions = new Map<string, DmSessionRecord>();

  constructor(
    private readonly idleMs: number,
    private readonly maxSessions = 10_000,
  ) {}

  get(devId: string, sessionId: string, now: number): DmSessionRecord | undefined {
    const session = this.sessions.get(key(devId, sessionId));
    if (session === undefined || now - session.lastActivity <= this.idleMs) return session;
    this.sessions.delete(key(devId, sessionId));
    return undefined;
  }

  put(session: DmSessionRecord): void {
    const k = key(session.devId, session.sessionId);
    this.sessions.delete(k);
    this.sessions.set(k, session);
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= this.maxSessions) break;
      this.sessions.delete(oldest);
    }
  }

  delete(session: DmSessionRecord): void {
    this.sessions.delete(key(session.devId, session.sessionId));
  }

  sweep(now: number): void {
    for (const [k, session] of this.sessions) if (now - session.lastActivity > this.idleMs) this.sessions.delete(k);
  }
}

function key(devId: string, sessionId: string): string {
  return `${devId}\n${sessionId}`;
}

import type { RecordStore } from '../../store/record-store.js';

/** What every stored DM session (1.2/1.3 or 2.0) has: its device and when the device was last heard. */
export interface IdleSession {
  devId: string;
  /** Epoch ms of the device's last message or package. */
  lastActivity: number;
}

/**
 * The open session of each DevId (one per device: a new one replaces it); a session idle for longer than `idleMs` is
 * gone (and reported through `onExpired`). `sameSession` tells whether a stored record is still the session a caller
 * holds (a newer one of the device may have replaced it).
 */
export class IdleSessionStore<R extends IdleSession> {
  constructor(
    protected readonly records: RecordStore<R>,
    private readonly idleMs: number,
    private readonly onExpired: (record: R) => void,
    private readonly sameSession: (stored: R, held: R) => boolean,
  ) {}

  /** The device's open session (undefined when there is none or it went idle: then it is ended and reported). */
  async current(devId: string, now: number): Promise<R | undefined> {
    const record = await this.records.get(devId);
    if (record === undefined || now - record.lastActivity <= this.idleMs) return record;
    await this.end(record, true);
    return undefined;
  }

  /** Whether the device has a session that is not idle (read only: ending an idle one is the engine's business). */
  async isOpen(devId: string, now: number): Promise<boolean> {
    const record = await this.records.get(devId);
    return record !== undefined && now - record.lastActivity <= this.idleMs;
  }

  put(record: R): Promise<void> {
    return this.records.put(record.devId, record);
  }

  /** Forgets the session (unless another one of the device replaced it); `expired`: it went idle, reported through onExpired. */
  async end(record: R, expired = false): Promise<void> {
    const stored = await this.records.get(record.devId);
    if (stored !== undefined && this.sameSession(stored, record)) await this.records.delete(record.devId);
    if (expired) this.onExpired(record);
  }

  /** The sessions idle for too long (end each through current(), under the device's turn). */
  async idle(now: number): Promise<R[]> {
    return (await this.records.list()).map(({ value }) => value).filter((record) => now - record.lastActivity > this.idleMs);
  }

  async count(): Promise<number> {
    return (await this.records.list()).length;
  }
}

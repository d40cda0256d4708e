import type { RecordStore } from '../../../store/record-store.js';
import type { Dm2Mo } from '../codec/index.js';
import type { QueuedDm2Command } from './command-queue.js';

/** What the proxy remembers of a DM 2.0 session between packages (kept in the store: a restart loses nothing). */
export interface Dm2SessionRecord {
  devId: string;
  /** Random secret naming the session in its own URL (`?s=`), where a CONT may send the device's package 3. */
  token: string;
  /** Epoch ms of package 1. */
  openedAt: number;
  /** Epoch ms of the device's last package. */
  lastActivity: number;
  /** The MOs package 1 listed. */
  mos: Dm2Mo[];
  /** The commands of the last package 2, in order: package 3's statuses pair with them by position. */
  sent: QueuedDm2Command[];
  /** Packages 2 sent so far. */
  packages: number;
}

/** The open DM 2.0 session of each DevId (one per device: package 1 replaces it); one idle longer than `idleMs` is gone. */
export class Dm2SessionStore {
  constructor(
    private readonly records: RecordStore<Dm2SessionRecord>,
    private readonly idleMs: number,
    private readonly onExpired: (record: Dm2SessionRecord) => void,
  ) {}

  /** The device's open session (undefined when there is none or it went idle: then it is ended and reported). */
  async current(devId: string, now: number): Promise<Dm2SessionRecord | undefined> {
    const record = await this.records.get(devId);
    if (record === undefined || now - record.lastActivity <= this.idleMs) return record;
    await this.end(record, true);
    return undefined;
  }

  async isOpen(devId: string, now: number): Promise<boolean> {
    const record = await this.records.get(devId);
    return record !== undefined && now - record.lastActivity <= this.idleMs;
  }

  /** The commands the device's stored session sent and awaits statuses for (read only). */
  async sentEntries(devId: string): Promise<QueuedDm2Command[]> {
    return (await this.records.get(devId))?.sent ?? [];
  }

  put(record: Dm2SessionRecord): Promise<void> {
    return this.records.put(record.devId, record);
  }

  /** Forgets the session (unless another one of the device replaced it); `expired`: reported through onExpired. */
  async end(record: Dm2SessionRecord, expired = false): Promise<void> {
    if ((await this.records.get(record.devId))?.token === record.token) await this.records.delete(record.devId);
    if (expired) this.onExpired(record);
  }

  /** DevIds whose session is idle for too long (end each through current(), under the device's turn). */
  async idle(now: number): Promise<string[]> {
    return (await this.records.list()).filter(({ value }) => now - value.lastActivity > this.idleMs).map(({ key }) => key);
  }

  async count(): Promise<number> {
    return (await this.records.list()).length;
  }
}

import type { RecordStore } from '../../../store/record-store.js';
import { IdleSessionStore } from '../../common/idle-session-store.js';
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

/** The open DM 2.0 session of each DevId (one per device: package 1 replaces it). */
export class Dm2SessionStore extends IdleSessionStore<Dm2SessionRecord> {
  constructor(records: RecordStore<Dm2SessionRecord>, idleMs: number, onExpired: (record: Dm2SessionRecord) => void) {
    super(records, idleMs, onExpired, (stored, held) => stored.token === held.token);
  }

  /** The commands the device's stored session sent and awaits statuses for (read only). */
  async sentEntries(devId: string): Promise<QueuedDm2Command[]> {
    return (await this.records.get(devId))?.sent ?? [];
  }
}

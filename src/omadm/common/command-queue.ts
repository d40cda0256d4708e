import { randomUUID } from 'node:crypto';
import { KeyedQueue } from '../../core/keyed-queue.js';
import type { RecordStore } from '../../store/record-store.js';

/** A command waiting for the device's next session (C: the protocol version's command type). */
export interface QueuedCommand<C> {
  /** Stable id: the adapter pairs the device's answer with its request through it. */
  id: string;
  command: C;
  /** Epoch ms after which the command is no longer sent (its request expired): dropped and reported lost. */
  notAfter?: number;
  /** Who queued it (request id and position): queueing the same key again adopts the waiting entry (a request rerun after a restart). */
  key?: string;
}

/** A command to queue, with its optional deadline and key. */
export type CommandToQueue<C> = Omit<QueuedCommand<C>, 'id'>;

/** The device's queue holds as many commands as it may: nothing of the call was queued. */
export class QueueFullError extends Error {}

/**
 * Per-device commands waiting for the device's next session, oldest first; the session drains them into its package 2
 * (and later packages). Shared by DM 1.2/1.3 (SyncML commands) and DM 2.0 (JSON CMD arrays). Kept in the store, so a restart loses none. Changes
 * of one device's queue run one at a time (each reads and rewrites the device's list).
 */
export class CommandQueue<C> {
  private readonly changes = new KeyedQueue();

  constructor(
    private readonly records: RecordStore<QueuedCommand<C>[]>,
    /** Commands one device's queue holds at most (DM_MAX_QUEUED_COMMANDS). */
    private readonly maxPerDevice = Number.POSITIVE_INFINITY,
  ) {}

  enqueue(devId: string, command: C): Promise<QueuedCommand<C>> {
    return this.enqueueAll(devId, [{ command }]).then(([entry]) => entry);
  }

  /**
   * Queues commands in order with one write. A command whose key is already waiting is not queued again when
   * `adoptable` accepts that entry (a request rerun after a restart): the waiting entry is returned instead. Throws
   * QueueFullError, queueing nothing, when the device's queue would hold more than its maximum.
   */
  enqueueAll(devId: string, commands: readonly CommandToQueue<C>[], adoptable: (entry: QueuedCommand<C>) => boolean = () => true): Promise<QueuedCommand<C>[]> {
    return this.changes.run(devId, async () => {
      const waiting = (await this.records.get(devId)) ?? [];
      const adopted = (command: CommandToQueue<C>) =>
        command.key === undefined ? undefined : waiting.find((entry) => entry.key === command.key && adoptable(entry));
      const entries = commands.map((command) => adopted(command) ?? { id: randomUUID(), ...command });
      const added = entries.filter((entry) => !waiting.includes(entry));
      if (added.length === 0) return entries;
      if (waiting.length + added.length > this.maxPerDevice) throw new QueueFullError(`${waiting.length} commands already wait for "${devId}" (at most ${this.maxPerDevice})`);
      await this.records.put(devId, [...waiting, ...added]);
      return entries;
    });
  }

  async waiting(devId: string): Promise<QueuedCommand<C>[]> {
    return (await this.records.get(devId)) ?? [];
  }

  /** Takes commands out (withdrawn by the adapter): the ids of those that were still waiting. */
  remove(devId: string, ids: readonly string[]): Promise<string[]> {
    return this.changes.run(devId, async () => this.takeOut(devId, (await this.records.get(devId)) ?? [], ids));
  }

  /**
   * A session takes commands out in one turn of the device's queue: `select` gets the waiting commands and returns the
   * ids it sends (or drops), so no withdrawal falls between its choice and their removal.
   */
  drain(devId: string, select: (waiting: QueuedCommand<C>[]) => Promise<readonly string[]>): Promise<void> {
    return this.changes.run(devId, async () => {
      const entries = (await this.records.get(devId)) ?? [];
      await this.takeOut(devId, entries, await select(entries));
    });
  }

  /** Puts commands taken out back at the front, in their order (those still queued stay where they are). */
  putBack(devId: string, entries: readonly QueuedCommand<C>[]): Promise<void> {
    return this.changes.run(devId, async () => {
      const queued = (await this.records.get(devId)) ?? [];
      const missing = entries.filter((entry) => !queued.some((other) => other.id === entry.id));
      if (missing.length > 0) await this.records.put(devId, [...missing, ...queued]);
    });
  }

  private async takeOut(devId: string, entries: readonly QueuedCommand<C>[], ids: readonly string[]): Promise<string[]> {
    const kept = entries.filter((entry) => !ids.includes(entry.id));
    if (kept.length === entries.length) return [];
    if (kept.length === 0) await this.records.delete(devId);
    else await this.records.put(devId, kept);
    return entries.filter((entry) => ids.includes(entry.id)).map((entry) => entry.id);
  }
}

import { randomUUID } from 'node:crypto';
import type { CommandGroup, Exec, ItemCommand } from '../codec/index.js';
import { KeyedQueue } from '../../../core/keyed-queue.js';
import type { RecordStore } from '../../../store/record-store.js';

/** A management command the server may send in package 2 or later: CmdIDs are given when it is sent. */
export type DmServerCommand = ItemCommand | Exec | CommandGroup;

/** A command waiting for the device's next session. */
export interface QueuedDmCommand {
  /** Stable id: the adapter pairs the device's answer with its request through it. */
  id: string;
  command: DmServerCommand;
  /** Epoch ms after which the command is no longer sent (its request expired): dropped and reported lost. */
  notAfter?: number;
  /** Who queued it (request id and position): queueing the same key again adopts the waiting entry (a request rerun after a restart). */
  key?: string;
}

/** A command to queue, with its optional deadline and key. */
export type DmCommandToQueue = Omit<QueuedDmCommand, 'id'>;

/**
 * Per-device commands waiting for the device's next session, oldest first; the session drains them into its package 2
 * (and later packages) as far as the device's MaxMsgSize allows. Kept in the store, so a restart loses none. Changes
 * of one device's queue run one at a time (each reads and rewrites the device's list).
 */
export class DmCommandQueue {
  private readonly changes = new KeyedQueue();

  constructor(private readonly records: RecordStore<QueuedDmCommand[]>) {}

  enqueue(devId: string, command: DmServerCommand): Promise<QueuedDmCommand> {
    return this.enqueueAll(devId, [{ command }]).then(([entry]) => entry);
  }

  /** Queues commands in order with one write; a command whose key is already waiting is not queued again (its entry is returned). */
  enqueueAll(devId: string, commands: readonly DmCommandToQueue[]): Promise<QueuedDmCommand[]> {
    return this.changes.run(devId, async () => {
      const waiting = (await this.records.get(devId)) ?? [];
      const entries = commands.map((command) => (command.key !== undefined ? waiting.find((entry) => entry.key === command.key) : undefined) ?? { id: randomUUID(), ...command });
      const added = entries.filter((entry) => !waiting.includes(entry));
      if (added.length > 0) await this.records.put(devId, [...waiting, ...added]);
      return entries;
    });
  }

  async waiting(devId: string): Promise<QueuedDmCommand[]> {
    return (await this.records.get(devId)) ?? [];
  }

  /** Takes the commands out (sent, or withdrawn by the adapter): the ids of those that were still waiting. */
  remove(devId: string, ids: readonly string[]): Promise<string[]> {
    return this.changes.run(devId, async () => {
      const entries = (await this.records.get(devId)) ?? [];
      const kept = entries.filter((entry) => !ids.includes(entry.id));
      if (kept.length === entries.length) return [];
      if (kept.length === 0) await this.records.delete(devId);
      else await this.records.put(devId, kept);
      return entries.filter((entry) => ids.includes(entry.id)).map((entry) => entry.id);
    });
  }
}

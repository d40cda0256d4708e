/** Deletes expired CSE-created `<node>`s (with their children) and `<mgmtObj>`s from the store, a bounded batch at a time. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import type { ExpiryCursor } from '../../store/resource-store.js';
import { ResourceConditionError } from '../../store/store-errors.js';
import type { ResourceTree } from './resource-tree.js';
import { isExpirableType } from './expiry.js';

/** Resources examined per step; the event loop gets a turn between steps. */
const BATCH = 100;

export interface ExpirySweep {
  /** One full pass over what has expired by `now`; resolves to how many resources it deleted (their subtrees not counted). */
  sweep(now?: number): Promise<number>;
  close(): Promise<void>;
}

export function startExpirySweep(tree: ResourceTree, logger: Logger, intervalMs: number): ExpirySweep {
  let closed = false;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const deleteIfExpired = async (ri: string, now: number): Promise<boolean> => {
    // read again: an Update may have moved its et since the scan's row was read
    const resource = await tree.get(ri);
    if (!resource || !(await tree.hasExpired(resource, now))) return false;
    try {
      await tree.commit([], [resource.ri], [{ unchanged: resource }]);
    } catch (error) {
      if (error instanceof ResourceConditionError) return false; // changed meanwhile: the next sweep decides again
      throw error;
    }
    logger.info({ path: resource.path, et: resource.attrs.et }, 'expired resource deleted');
    return true;
  };

  const pass = async (now: number): Promise<number> => {
    let deleted = 0;
    let after: ExpiryCursor | undefined;
    do {
      const chunk = await tree.findExpired({ before: Math.floor(now / 1000), after, limit: BATCH });
      for (const resource of chunk.expired) {
        if (!closed && isExpirableType(resource.ty) && (await deleteIfExpired(resource.ri, now))) deleted++;
      }
      after = chunk.next;
      if (after) await nextTurn();
    } while (after && !closed);
    return deleted;
  };

  const sweep = (now = Date.now()): Promise<number> => {
    running ??= pass(now).finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    if (closed) return;
    timer = setTimeout(() => {
      sweep().catch((error: unknown) => logger.error({ err: error }, 'expiry sweep failed')).finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    sweep,
    async close() {
      closed = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

import type Database from 'better-sqlite3';

/**
 * Group commit: the writes queued within one commit window share one transaction, so one fsync serves them all.
 * Each write runs inside its own savepoint: a write that throws rolls back its own changes only and rejects its own
 * promise; the others commit. Every promise settles only after the commit (or its failure, which rejects them all),
 * so an acknowledged write is on disk.
 */
export interface CommitBatcher {
  /** Runs `write` in the next batch; resolves with its result once the batch is committed. */
  write<T>(write: () => T): Promise<T>;
  /** Commits what is queued now (e.g. before the connection closes). */
  flush(): void;
}

interface Queued {
  write: () => unknown;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** `windowMs`: how long the first queued write waits for others; 0 = until the current turn of the event loop ends. */
export function commitBatcher(db: Database.Database, windowMs: number): CommitBatcher {
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT batched_write');
  const release = db.prepare('RELEASE batched_write');
  const rollbackTo = db.prepare('ROLLBACK TO batched_write');
  let queue: Queued[] = [];
  let scheduled: { cancel(): void } | undefined;

  const schedule = (run: () => void): { cancel(): void } => {
    if (windowMs === 0) {
      const immediate = setImmediate(run);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timer = setTimeout(run, windowMs);
    return { cancel: () => clearTimeout(timer) };
  };

  const runOne = (item: Queued): Outcome => {
    savepoint.run();
    try {
      const value = item.write();
      release.run();
      return { ok: true, value };
    } catch (error) {
      // SQLITE_FULL, IOERR, NOMEM… roll back the whole transaction: the batch's earlier writes are gone too, and
      // what follows must not run outside a transaction, so the whole batch fails.
      if (!db.inTransaction) throw error;
      rollbackTo.run();
      release.run();
      return { ok: false, error };
    }
  };

  const flush = (): void => {
    scheduled?.cancel();
    scheduled = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      begin.run();
      outcomes = batch.map(runOne);
      commit.run();
    } catch (error) {
      if (db.open && db.inTransaction) rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };

  return {
    write<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        if (scheduled === undefined) scheduled = schedule(flush);
      });
    },
    flush,
  };
}

import type Database from 'better-sqlite3';
import type { CommitBatcher } from './commit-batcher.js';
import { UNFINISHED_STATES, type PendingOperation, type PendingOperationStore } from './pending-operation-store.js';

/** The columns the interface looks up by; the whole operation is the JSON `value`. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS pending_operations (
  id TEXT PRIMARY KEY,
  request_ri TEXT UNIQUE,
  unfinished INTEGER NOT NULL,
  keep_until INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_operations_unfinished ON pending_operations (unfinished, created_at, id);
CREATE INDEX IF NOT EXISTS pending_operations_by_expiry ON pending_operations (keep_until, id);`;

interface Row {
  id: string;
  request_ri: string | null;
  unfinished: number;
  keep_until: number;
  created_at: number;
  value: string;
}

function isUnfinished(operation: PendingOperation): boolean {
  return UNFINISHED_STATES.includes(operation.state) || (operation.notification?.targets.length ?? 0) > 0;
}

export function sqlitePendingOperationStore(db: Database.Database, batcher: CommitBatcher): PendingOperationStore {
  db.exec(SCHEMA);
  const upsert = db.prepare<Row>(
    `INSERT INTO pending_operations (id, request_ri, unfinished, keep_until, created_at, value)
     VALUES (@id, @request_ri, @unfinished, @keep_until, @created_at, @value)
     ON CONFLICT (id) DO UPDATE SET request_ri = excluded.request_ri, unfinished = excluded.unfinished,
       keep_until = excluded.keep_until, created_at = excluded.created_at, value = excluded.value`,
  );
  const byId = db.prepare<[string], { value: string }>('SELECT value FROM pending_operations WHERE id = ?');
  const byRequest = db.prepare<[string], { value: string }>('SELECT value FROM pending_operations WHERE request_ri = ?');
  const remove = db.prepare<[string]>('DELETE FROM pending_operations WHERE id = ?');
  const unfinished = db.prepare<[], { value: string }>('SELECT value FROM pending_operations WHERE unfinished = 1 ORDER BY created_at, id');
  const expiring = db.prepare<[number], { value: string }>('SELECT value FROM pending_operations WHERE keep_until <= ? ORDER BY keep_until, id');
  const earliest = db.prepare<[], { next: number | null }>('SELECT min(keep_until) AS next FROM pending_operations');
  const parse = (row: { value: string } | undefined) => (row ? (JSON.parse(row.value) as PendingOperation) : undefined);

  return {
    put(operation) {
      const row: Row = {
        id: operation.id,
        request_ri: operation.requestRi ?? null,
        unfinished: isUnfinished(operation) ? 1 : 0,
        keep_until: operation.keepUntil,
        created_at: operation.createdAt,
        value: JSON.stringify(operation),
      };
      return batcher.write(() => void upsert.run(row));
    },
    async get(id) {
      return parse(byId.get(id));
    },
    async byRequest(requestRi) {
      return parse(byRequest.get(requestRi));
    },
    delete(id) {
      return batcher.write(() => remove.run(id).changes > 0);
    },
    async unfinished() {
      return unfinished.all().map((row) => parse(row)!);
    },
    async expiringBy(time) {
      return expiring.all(time).map((row) => parse(row)!);
    },
    async nextExpiry() {
      return earliest.get()?.next ?? undefined;
    },
  };
}

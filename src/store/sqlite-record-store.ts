import type Database from 'better-sqlite3';
import type { CommitBatcher } from './commit-batcher.js';
import type { RecordStore } from './record-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (kind, key)
);`;

/** Records of every kind in one table; BINARY collation on UTF-8 text orders keys by code point. */
export function sqliteRecordStores(db: Database.Database, batcher: CommitBatcher): <T>(kind: string) => RecordStore<T> {
  db.exec(SCHEMA);
  const select = db.prepare<[string, string], { value: string }>('SELECT value FROM records WHERE kind = ? AND key = ?');
  const upsert = db.prepare<[string, string, string]>(
    'INSERT INTO records (kind, key, value) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM records WHERE kind = ? AND key = ?');
  const selectAll = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM records WHERE kind = ? ORDER BY key');

  return <T>(kind: string): RecordStore<T> => ({
    async get(key) {
      const row = select.get(kind, key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    put(key, value) {
      const json = JSON.stringify(value);
      return batcher.write(() => void upsert.run(kind, key, json));
    },
    delete(key) {
      return batcher.write(() => remove.run(kind, key).changes > 0);
    },
    async list() {
      return selectAll.all(kind).map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
    },
  });
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store, StoredResource } from './store.js';
import { ResourceConflictError } from './store-errors.js';

/** UNIQUE (pi, rn) also serves as the index for child lookups by pi; UNIQUE path as the path index. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS resources (
  ri TEXT PRIMARY KEY,
  pi TEXT NOT NULL,
  ty INTEGER NOT NULL,
  rn TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  attrs TEXT NOT NULL,
  internal TEXT NOT NULL,
  UNIQUE (pi, rn)
);
CREATE TABLE IF NOT EXISTS records (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (kind, key)
);`;

interface ResourceRow {
  ri: string;
  pi: string;
  ty: number;
  rn: string;
  path: string;
  attrs: string;
  internal: string;
}

function fromRow(row: ResourceRow): StoredResource {
  return { ri: row.ri, pi: row.pi, ty: row.ty, rn: row.rn, path: row.path, attrs: JSON.parse(row.attrs), internal: JSON.parse(row.internal) };
}

function toRow(resource: StoredResource): ResourceRow {
  return { ...resource, attrs: JSON.stringify(resource.attrs), internal: JSON.stringify(resource.internal) };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Opens (or creates) `<dataDir>/proxy.db`; when that fails, the error names the path and the reason. */
function openDatabase(dataDir: string): Database.Database {
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) throw new Error(`${dataDir} is not a directory`);
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'proxy.db');
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db?.close();
    throw new Error(`cannot open ${file}: ${(error as Error).message}`);
  }
}

/** The embedded store: one SQLite file `<dataDir>/proxy.db`, WAL with synchronous=FULL so an acknowledged write survives a crash. */
export function openSqliteStore(dataDir: string): Store {
  const db = openDatabase(dataDir);

  const selectByRi = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE ri = ?');
  const selectByPath = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE path = ?');
  const selectChildren = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE pi = ? ORDER BY rowid');
  const upsert = db.prepare<ResourceRow>(
    `INSERT INTO resources (ri, pi, ty, rn, path, attrs, internal) VALUES (@ri, @pi, @ty, @rn, @path, @attrs, @internal)
     ON CONFLICT (ri) DO UPDATE SET pi = excluded.pi, ty = excluded.ty, rn = excluded.rn, path = excluded.path,
       attrs = excluded.attrs, internal = excluded.internal`,
  );
  const selectSubtree = db.prepare<[string], { ri: string }>(
    `WITH RECURSIVE subtree(ri) AS (SELECT ri FROM resources WHERE ri = ? UNION ALL
       SELECT r.ri FROM resources r JOIN subtree s ON r.pi = s.ri)
     SELECT ri FROM subtree`,
  );
  const deleteByRi = db.prepare<[string]>('DELETE FROM resources WHERE ri = ?');
  const selectRecord = db.prepare<[string, string], { value: string }>('SELECT value FROM records WHERE kind = ? AND key = ?');
  const upsertRecord = db.prepare<[string, string, string]>(
    'INSERT INTO records (kind, key, value) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value',
  );
  const deleteRecordStmt = db.prepare<[string, string]>('DELETE FROM records WHERE kind = ? AND key = ?');
  const selectRecords = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM records WHERE kind = ? ORDER BY key');

  const put = (resource: StoredResource): void => {
    try {
      upsert.run(toRow(resource));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ResourceConflictError(resource.path);
      throw error;
    }
  };
  const cascadeDelete = (ri: string): string[] => {
    const ris = selectSubtree.all(ri).map((row) => row.ri);
    for (const doomed of ris) deleteByRi.run(doomed);
    return ris;
  };
  const putMany = db.transaction((resources: StoredResource[], deleteRis: string[]) => {
    for (const ri of deleteRis) cascadeDelete(ri);
    for (const resource of resources) put(resource);
  });
  const deleteTree = db.transaction(cascadeDelete);

  return {
    async getResource(ri) {
      const row = selectByRi.get(ri);
      return row && fromRow(row);
    },
    async getResourceByPath(resourcePath) {
      const row = selectByPath.get(resourcePath);
      return row && fromRow(row);
    },
    async listChildren(pi) {
      return selectChildren.all(pi).map(fromRow);
    },
    async putResource(resource) {
      put(resource);
    },
    async putResources(resources, deleteRis = []) {
      putMany(resources, deleteRis);
    },
    async deleteResource(ri) {
      return deleteTree(ri);
    },
    async getRecord<T>(kind: string, key: string) {
      const row = selectRecord.get(kind, key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async putRecord<T>(kind: string, key: string, value: T) {
      upsertRecord.run(kind, key, JSON.stringify(value));
    },
    async deleteRecord(kind, key) {
      return deleteRecordStmt.run(kind, key).changes > 0;
    },
    async listRecords<T>(kind: string) {
      return selectRecords.all(kind).map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import type { CommitBatcher } from './commit-batcher.js';
import type { ResourceCondition, ResourceStore, StoredResource } from './resource-store.js';
import { ResourceConditionError, ResourceConflictError } from './store-errors.js';
import { foldAttrs, unfoldAttrs } from './folded-attrs.js';
import { sqliteDescendantScan } from './sqlite-descendant-scan.js';
import { expirationSeconds } from './expiration-column.js';
import { jsonTextOf, type SharedJson } from './shared-json.js';

/**
 * UNIQUE (pi, rn) also serves as the index for child lookups by pi; UNIQUE path as the path index. Creation order is
 * rowid order: an upsert keeps a row's rowid and a new row gets one above every stored rowid (no AUTOINCREMENT needed
 * while rowids stay below 2^63). `folded`, `ct_seconds`: which attributes `attrs` leaves out because they are held
 * elsewhere (folded-attrs.ts); added on open to tables from before they existed, whose rows read as 0 (nothing left out).
 * `attrs` and `internal` may name a text held once for many rows (shared-json.ts): every read goes through COLUMNS.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS resources (
  ri TEXT PRIMARY KEY,
  pi TEXT NOT NULL,
  ty INTEGER NOT NULL,
  rn TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  attrs TEXT NOT NULL,
  internal TEXT NOT NULL,
  folded INTEGER NOT NULL DEFAULT 0,
  ct_seconds INTEGER,
  et_seconds INTEGER,
  node_id TEXT,
  UNIQUE (pi, rn)
);`;

/** Expired resources are found through this index; the many without an et (or an unreadable one) are not in it. */
const EXPIRY_INDEX = 'CREATE INDEX IF NOT EXISTS resources_expiry ON resources (et_seconds) WHERE et_seconds IS NOT NULL;';
/** A `<node>`'s `ni`, held in its own column so that a device finds its node by id whatever the node is named. */
const NODE_ID_INDEX = 'CREATE INDEX IF NOT EXISTS resources_node_id ON resources (node_id) WHERE node_id IS NOT NULL;';
const NODE_TYPE = 14;

function addFoldedColumns(db: Database.Database): void {
  const columns = new Set(db.prepare<[], string>('SELECT name FROM pragma_table_info(\'resources\')').pluck().all());
  if (!columns.has('folded')) db.exec('ALTER TABLE resources ADD COLUMN folded INTEGER NOT NULL DEFAULT 0');
  if (!columns.has('ct_seconds')) db.exec('ALTER TABLE resources ADD COLUMN ct_seconds INTEGER');
  // rows from before the column read as never expiring: none of them was given an et that expires (only <request>s had one)
  if (!columns.has('et_seconds')) db.exec('ALTER TABLE resources ADD COLUMN et_seconds INTEGER');
  if (!columns.has('node_id')) {
    db.exec('ALTER TABLE resources ADD COLUMN node_id TEXT');
    db.prepare(`UPDATE resources SET node_id = json_extract(${jsonTextOf('attrs')}, '$.ni') WHERE ty = ${NODE_TYPE}`).run();
  }
}

const COLUMNS = `ri, pi, ty, rn, path, ${jsonTextOf('attrs')} AS attrs, ${jsonTextOf('internal')} AS internal, folded, ct_seconds`;

interface ResourceRow {
  ri: string;
  pi: string;
  ty: number;
  rn: string;
  path: string;
  attrs: string;
  internal: string;
  folded: number;
  ct_seconds: number | null;
  et_seconds: number | null;
}

interface StoredRow extends ResourceRow {
  node_id: string | null;
}

function fromRow(row: ResourceRow): StoredResource {
  return {
    ri: row.ri, pi: row.pi, ty: row.ty, rn: row.rn, path: row.path,
    attrs: unfoldAttrs(row.attrs, row.folded, row), internal: JSON.parse(row.internal),
  };
}

function toRow(resource: StoredResource): StoredRow {
  const { json, folded, ctSeconds } = foldAttrs(resource);
  const { ni } = resource.attrs;
  return {
    ri: resource.ri, pi: resource.pi, ty: resource.ty, rn: resource.rn, path: resource.path,
    attrs: json, internal: JSON.stringify(resource.internal), folded, ct_seconds: ctSeconds, et_seconds: expirationSeconds(resource.attrs),
    node_id: resource.ty === NODE_TYPE && typeof ni === 'string' ? ni : null,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

function sameMembers(actual: string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && isDeepStrictEqual([...actual].sort(), [...expected].sort());
}

export function sqliteResourceStore(db: Database.Database, batcher: CommitBatcher, shared: SharedJson): ResourceStore {
  db.exec(SCHEMA);
  addFoldedColumns(db);
  db.exec(NODE_ID_INDEX);
  const selectByRi = db.prepare<[string], ResourceRow>(`SELECT ${COLUMNS} FROM resources WHERE ri = ?`);
  const selectByPath = db.prepare<[string], ResourceRow>(`SELECT ${COLUMNS} FROM resources WHERE path = ?`);
  const selectChildren = db.prepare<[string], ResourceRow>(`SELECT ${COLUMNS} FROM resources WHERE pi = ? ORDER BY rowid`);
  const selectByNodeId = db.prepare<[string], ResourceRow>(`SELECT ${COLUMNS} FROM resources WHERE node_id = ? ORDER BY rowid`);
  const selectChildRis = db.prepare<[string], { ri: string }>('SELECT ri FROM resources WHERE pi = ?');
  const upsert = db.prepare<StoredRow>(
    `INSERT INTO resources (ri, pi, ty, rn, path, attrs, internal, folded, ct_seconds, et_seconds, node_id)
     VALUES (@ri, @pi, @ty, @rn, @path, @attrs, @internal, @folded, @ct_seconds, @et_seconds, @node_id)
     ON CONFLICT (ri) DO UPDATE SET pi = excluded.pi, ty = excluded.ty, rn = excluded.rn, path = excluded.path,
       attrs = excluded.attrs, internal = excluded.internal, folded = excluded.folded, ct_seconds = excluded.ct_seconds,
       et_seconds = excluded.et_seconds, node_id = excluded.node_id`,
  );
  const selectSubtree = db.prepare<[string], { ri: string }>(
    `WITH RECURSIVE subtree(ri) AS (SELECT ri FROM resources WHERE ri = ? UNION ALL
       SELECT r.ri FROM resources r JOIN subtree s ON r.pi = s.ri)
     SELECT ri FROM subtree`,
  );
  const deleteByRi = db.prepare<[string]>('DELETE FROM resources WHERE ri = ?');
  db.exec(EXPIRY_INDEX);
  const selectExpired = db.prepare<[number, number, number, number], ResourceRow & { seq: number }>(
    `SELECT ${COLUMNS}, et_seconds, rowid AS seq FROM resources
     WHERE et_seconds IS NOT NULL AND et_seconds <= ? AND (et_seconds, rowid) > (?, ?)
     ORDER BY et_seconds, rowid LIMIT ?`,
  );

  const holds = (condition: ResourceCondition): boolean => {
    if ('exists' in condition) return selectByRi.get(condition.exists) !== undefined;
    if ('unchanged' in condition) {
      const row = selectByRi.get(condition.unchanged.ri);
      return row !== undefined && isDeepStrictEqual(fromRow(row), condition.unchanged);
    }
    return sameMembers(selectChildRis.all(condition.childrenOf).map((row) => row.ri), condition.are);
  };
  const describe = (condition: ResourceCondition): string => {
    if ('exists' in condition) return `resource ${condition.exists} exists`;
    if ('unchanged' in condition) return `resource ${condition.unchanged.ri} is unchanged`;
    return `the children of ${condition.childrenOf || 'the root'} are unchanged`;
  };
  const put = (row: StoredRow): void => {
    // outside the try: a failure to store a shared text is not a resource conflict
    const stored = { ...row, attrs: shared.stored(row.attrs, row.ri), internal: shared.stored(row.internal, row.ri) };
    try {
      upsert.run(stored);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ResourceConflictError(row.path);
      throw error;
    }
  };
  const cascadeDelete = (ri: string): string[] => {
    const ris = selectSubtree.all(ri).map((row) => row.ri);
    for (const doomed of ris) deleteByRi.run(doomed);
    return ris;
  };
  const write = db.transaction((rows: StoredRow[], deleteRis: readonly string[], conditions: readonly ResourceCondition[]) => {
    const failed = conditions.find((condition) => !holds(condition));
    if (failed) throw new ResourceConditionError(describe(failed));
    for (const ri of deleteRis) cascadeDelete(ri);
    for (const row of rows) put(row);
  });
  const deleteTree = db.transaction(cascadeDelete);
  const scanDescendants = sqliteDescendantScan(db);

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
    async findNodesByNodeId(ni) {
      return selectByNodeId.all(ni).map(fromRow);
    },
    async findDescendants(query) {
      return scanDescendants(query);
    },
    async findExpired({ before, after, limit }) {
      const rows = selectExpired.all(before, after?.et ?? Number.MIN_SAFE_INTEGER, after?.seq ?? 0, limit);
      const last = rows.at(-1);
      return {
        expired: rows.map(fromRow),
        ...(last && rows.length === limit ? { next: { et: last.et_seconds!, seq: last.seq } } : {}),
      };
    },
    // what to write is taken when the call is made, not when its batch runs: the caller may change its objects meanwhile
    putResource(resource) {
      const row = toRow(resource);
      return batcher.write(() => put(row));
    },
    putResources(resources, deleteRis = [], conditions = []) {
      const rows = resources.map(toRow);
      const taken = { deleteRis: [...deleteRis], conditions: structuredClone(conditions) };
      return batcher.write(() => write(rows, taken.deleteRis, taken.conditions));
    },
    deleteResource(ri) {
      return batcher.write(() => deleteTree(ri));
    },
  };
}

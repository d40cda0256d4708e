import type Database from 'better-sqlite3';
import type { DescendantChunk, DescendantQuery, ResourceSummary } from './resource-store.js';
import { jsonTextOf } from './shared-json.js';

/**
 * Discovery's indexes on the resources table, created on open for databases from before they existed: resource type
 * (with the rowid, i.e. creation order, as SQLite appends it to every index entry), and path (the UNIQUE constraint's).
 */
const INDEXES = 'CREATE INDEX IF NOT EXISTS resources_type ON resources (ty);';

/** Above any rowid the table will hold: "no upper end". */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

interface SummaryRow extends ResourceSummary {
  seq: number;
}

/** The subtree of `path` as a path range: every descendant's path starts with `path/` ('0' follows '/' in code order). */
function subtreeRange(path: string): { lo: string; hi: string } {
  return { lo: `${path}/`, hi: `${path}0` };
}

/**
 * Two plans, chosen by where the subtree starts. Under a top-level resource (the CSEBase) the subtree is nearly the whole
 * table, so candidates come in creation order from the type index (or the table itself). Under anything deeper the
 * subtree is small (a `<node>`'s mgmtObjs), so candidates come from the path index and are sorted.
 */
export function sqliteDescendantScan(db: Database.Database): (query: DescendantQuery) => DescendantChunk {
  db.exec(INDEXES);
  const windowEndByType = db.prepare<[number, number, number], number>(
    'SELECT rowid FROM resources WHERE ty = ? AND rowid > ? ORDER BY rowid LIMIT 1 OFFSET ?',
  ).pluck();
  const windowEndByCreation = db.prepare<[number, number], number>('SELECT rowid FROM resources WHERE rowid > ? ORDER BY rowid LIMIT 1 OFFSET ?').pluck();
  // `+rowid` keeps the planner on the path index: a rowid range would otherwise look cheaper and scan the whole table.
  const windowEndByPath = db.prepare<[string, string, number, number], number>(
    'SELECT rowid FROM resources WHERE path > ? AND path < ? AND +rowid > ? ORDER BY rowid LIMIT 1 OFFSET ?',
  ).pluck();
  const matchStatements = new Map<string, Database.Statement<Record<string, unknown>, SummaryRow>>();
  const countStatements = new Map<string, Database.Statement<Record<string, unknown>, number>>();

  /** The step's conditions; the `+` on the column an index must not be chosen for keeps the planner on the right one. */
  const conditions = (deep: boolean, query: DescendantQuery): string[] => {
    // Deep: from the path index (a rowid range would look cheaper and scan the whole table). Top level: by rowid, as
    // the path index would walk the whole subtree, i.e. nearly the whole table, to count one window.
    const [rowid, path] = deep ? ['+rowid', 'path'] : ['rowid', '+path'];
    const where = [`${rowid} > @after`, `${rowid} <= @end`, `${path} > @lo`, `${path} < @hi`];
    if (query.ty?.length) where.push('ty IN (SELECT value FROM json_each(@ty))');
    const attrs = jsonTextOf('attrs');
    if (query.lbl?.length) {
      where.push(`json_type(${attrs}, '$.lbl') = 'array'`,
        `EXISTS (SELECT 1 FROM json_each(${attrs}, '$.lbl') AS label WHERE label.value IN (SELECT value FROM json_each(@lbl)))`);
    }
    if (query.mgd?.length) where.push(`json_extract(${attrs}, '$.mgd') IN (SELECT value FROM json_each(@mgd))`);
    return where;
  };
  const statementKey = (deep: boolean, query: DescendantQuery): string =>
    `${deep}${Boolean(query.ty?.length)}${Boolean(query.lbl?.length)}${Boolean(query.mgd?.length)}`;

  const matchStatement = (deep: boolean, query: DescendantQuery): Database.Statement<Record<string, unknown>, SummaryRow> => {
    const key = statementKey(deep, query);
    let statement = matchStatements.get(key);
    if (!statement) {
      statement = db.prepare<Record<string, unknown>, SummaryRow>(
        `SELECT rowid AS seq, ri, pi, ty, rn, path FROM resources WHERE ${conditions(deep, query).join(' AND ')} ORDER BY rowid LIMIT -1 OFFSET @skip`,
      );
      matchStatements.set(key, statement);
    }
    return statement;
  };
  const countStatement = (deep: boolean, query: DescendantQuery): Database.Statement<Record<string, unknown>, number> => {
    const key = statementKey(deep, query);
    let statement = countStatements.get(key);
    if (!statement) {
      statement = db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM resources WHERE ${conditions(deep, query).join(' AND ')}`).pluck();
      countStatements.set(key, statement);
    }
    return statement;
  };

  /** The rowid of the window's last candidate, or undefined when fewer than `window` candidates remain. */
  const windowEnd = (deep: boolean, query: DescendantQuery, after: number): number | undefined => {
    const last = query.window - 1;
    if (deep) {
      const { lo, hi } = subtreeRange(query.under);
      return windowEndByPath.get(lo, hi, after, last);
    }
    if (!query.ty?.length) return windowEndByCreation.get(after, last);
    // Several types: each type's window ends somewhere; the earliest end bounds what all of them examine together.
    const ends = [...new Set(query.ty)].map((ty) => windowEndByType.get(ty, after, last)).filter((end): end is number => end !== undefined);
    return ends.length > 0 ? Math.min(...ends) : undefined;
  };

  return (query) => {
    if (!Number.isInteger(query.window) || query.window < 1) throw new RangeError(`window must be a positive integer, got ${query.window}`);
    const skip = query.skip ?? 0;
    if (!Number.isInteger(skip) || skip < 0) throw new RangeError(`skip must be a non-negative integer, got ${query.skip}`);
    const deep = query.under.includes('/');
    const after = query.after ?? 0;
    const end = windowEnd(deep, query, after);
    const parameters = {
      after, end: end ?? UNBOUNDED, ...subtreeRange(query.under),
      ty: JSON.stringify(query.ty ?? []), lbl: JSON.stringify(query.lbl ?? []), mgd: JSON.stringify(query.mgd ?? []),
    };
    const matching = skip > 0 ? countStatement(deep, query).get(parameters) ?? 0 : 0;
    const skipped = Math.min(skip, matching);
    const rows = skip > 0 && matching <= skip ? [] : matchStatement(deep, query).all({ ...parameters, skip });
    const matches = rows.map(({ ri, pi, ty, rn, path }) => ({ ri, pi, ty, rn, path }));
    return { matches, ...(end === undefined ? {} : { next: end }), ...(skipped > 0 ? { skipped } : {}) };
  };
}

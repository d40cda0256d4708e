import type Database from 'better-sqlite3';
import type { DescendantChunk, DescendantQuery, ResourceSummary } from './resource-store.js';

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

  const matchStatement = (deep: boolean, query: DescendantQuery): Database.Statement<Record<string, unknown>, SummaryRow> => {
    const byType = Boolean(query.ty?.length);
    const byLabel = Boolean(query.lbl?.length);
    const bySpecialization = Boolean(query.mgd?.length);
    const key = `${deep}${byType}${byLabel}${bySpecialization}`;
    let statement = matchStatements.get(key);
    if (!statement) {
      const rowid = deep ? '+rowid' : 'rowid';
      const conditions = [`${rowid} > @after`, `${rowid} <= @end`, 'path > @lo', 'path < @hi'];
      if (byType) conditions.push('ty IN (SELECT value FROM json_each(@ty))');
      if (byLabel) {
        conditions.push(`json_type(attrs, '$.lbl') = 'array'`,
          `EXISTS (SELECT 1 FROM json_each(attrs, '$.lbl') AS label WHERE label.value IN (SELECT value FROM json_each(@lbl)))`);
      }
      if (bySpecialization) conditions.push(`json_extract(attrs, '$.mgd') IN (SELECT value FROM json_each(@mgd))`);
      statement = db.prepare<Record<string, unknown>, SummaryRow>(
        `SELECT rowid AS seq, ri, pi, ty, rn, path FROM resources WHERE ${conditions.join(' AND ')} ORDER BY rowid`,
      );
      matchStatements.set(key, statement);
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
    const deep = query.under.includes('/');
    const after = query.after ?? 0;
    const end = windowEnd(deep, query, after);
    const rows = matchStatement(deep, query).all({
      after, end: end ?? UNBOUNDED, ...subtreeRange(query.under),
      ty: JSON.stringify(query.ty ?? []), lbl: JSON.stringify(query.lbl ?? []), mgd: JSON.stringify(query.mgd ?? []),
    });
    const matches = rows.map(({ ri, pi, ty, rn, path }) => ({ ri, pi, ty, rn, path }));
    return end === undefined ? { matches } : { matches, next: end };
  };
}

import type Database from 'better-sqlite3';

/**
 * JSON texts that many resources hold verbatim (a mgmtObj's attributes and internal data are the same on every device
 * of a model) are stored once, in `shared_json`; a resource's column then holds `~<id>` (a stored JSON object starts
 * with `{`, so the two never mix up). A text becomes shared when another resource writes it while the first writer is
 * still among the RECENT remembered ones; a text one resource writes again and again (a node's own attributes) stays
 * in its row. Shared texts are never deleted: at most MAX_SHARED are made, which bounds the table whatever is written.
 */
const SCHEMA = 'CREATE TABLE IF NOT EXISTS shared_json (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);';
const REFERENCE = '~';
const MAX_SHARED = 4096;
const MAX_TEXT = 1024;
const RECENT = 256;

/** SQL for the JSON text a column of `resources` holds, whether shared or in the row. */
export function jsonTextOf(column: string): string {
  return `(CASE WHEN substr(${column}, 1, 1) = '${REFERENCE}' THEN (SELECT text FROM shared_json WHERE id = CAST(substr(${column}, 2) AS INTEGER)) ELSE ${column} END)`;
}

export interface SharedJson {
  /** What the row of resource `ri` stores for `text`. Runs inside the write's transaction (it may add a shared text). */
  stored(text: string, ri: string): string;
}

export function sharedJson(db: Database.Database): SharedJson {
  db.exec(SCHEMA);
  const idOf = db.prepare<[string], number>('SELECT id FROM shared_json WHERE text = ?').pluck();
  const insert = db.prepare<[string]>('INSERT INTO shared_json (text) VALUES (?)');
  // a hint only: the table decides (a text added by a write that was rolled back is not shared)
  const shared = new Set(db.prepare<[], string>('SELECT text FROM shared_json').pluck().all());
  const recentWriter = new Map<string, string>();

  const remember = (text: string, ri: string): void => {
    recentWriter.delete(text);
    recentWriter.set(text, ri);
    if (recentWriter.size > RECENT) recentWriter.delete(recentWriter.keys().next().value as string);
  };
  return {
    stored(text, ri) {
      if (text.length > MAX_TEXT) return text;
      if (shared.has(text)) {
        const id = idOf.get(text);
        if (id !== undefined) return `${REFERENCE}${id}`;
        shared.delete(text);
      }
      const writer = recentWriter.get(text);
      if (writer === undefined || writer === ri || shared.size >= MAX_SHARED) {
        remember(text, ri);
        return text;
      }
      recentWriter.delete(text);
      const id = insert.run(text).lastInsertRowid;
      shared.add(text);
      return `${REFERENCE}${id}`;
    },
  };
}

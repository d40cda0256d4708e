import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Bytes of each table and index of the stopped proxy's database (SQLite's dbstat), divided by `per`, largest first. */
export function storedBreakdown(dataDir: string, per: number): Record<string, number> {
  const db = new Database(join(dataDir, 'proxy.db'), { readonly: true });
  try {
    const rows = db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all();
    return Object.fromEntries(rows.map(({ name, bytes }) => [name, Math.round(bytes / per)]));
  } finally {
    db.close();
  }
}

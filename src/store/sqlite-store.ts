import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from './store.js';
import { sqliteRecordStores } from './sqlite-record-store.js';
import { sqliteRegistrationStores } from './sqlite-registration-store.js';
import { sqliteResourceStore } from './sqlite-resource-store.js';

/** The embedded store: one SQLite file `<dataDir>/proxy.db`, WAL with synchronous=FULL so an acknowledged write survives a crash. */
export function openSqliteStore(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'proxy.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const records = sqliteRecordStores(db);
  const registrations = sqliteRegistrationStores(db);
  return {
    resources: sqliteResourceStore(db),
    records,
    registrations,
    async close() {
      if (db.open) db.close();
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from './store.js';
import { sqlitePendingOperationStore } from './sqlite-pending-operation-store.js';
import { sqliteRecordStores } from './sqlite-record-store.js';
import { sqliteRegistrationStores } from './sqlite-registration-store.js';
import { sqliteResourceStore } from './sqlite-resource-store.js';

/**
 * The embedded store: one SQLite file `<dataDir>/proxy.db`, WAL with synchronous=FULL so an acknowledged write survives
 * a crash. When the file cannot be opened, the error names the path and the reason.
 */
export function openSqliteStore(dataDir: string): Store {
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) throw new Error(`${dataDir} is not a directory`);
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'proxy.db');
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const opened = db;
    return {
      resources: sqliteResourceStore(opened),
      pendingOperations: sqlitePendingOperationStore(opened),
      records: sqliteRecordStores(opened),
      registrations: sqliteRegistrationStores(opened),
      async close() {
        if (opened.open) opened.close();
      },
    };
  } catch (error) {
    db?.close();
    throw new Error(`cannot open ${file}: ${(error as Error).message}`);
  }
}

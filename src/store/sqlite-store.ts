import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from './store.js';
import { commitBatcher } from './commit-batcher.js';
import { sqliteDmCredentialStore } from './sqlite-dm-credential-store.js';
import { sqlitePendingOperationStore } from './sqlite-pending-operation-store.js';
import { sqliteRecordStores } from './sqlite-record-store.js';
import { sqliteRegistrationStores } from './sqlite-registration-store.js';
import { sqliteResourceStore } from './sqlite-resource-store.js';
import { sharedJson } from './shared-json.js';

export interface SqliteStoreOptions {
  /** How long the first write of a batch waits for others to share its commit (ms); 0: until the event loop turn ends. */
  commitWindowMs?: number;
}

/**
 * The embedded store: one SQLite file `<dataDir>/proxy.db`, WAL with synchronous=FULL so an acknowledged write survives
 * a crash. Every write of every part goes through one commit batcher (group commit: one fsync per batch, each write's
 * promise settled after the commit). When the file cannot be opened, the error names the path and the reason.
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): Store {
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
    const batcher = commitBatcher(opened, options.commitWindowMs ?? 0);
    const shared = sharedJson(opened);
    return {
      resources: sqliteResourceStore(opened, batcher, shared),
      pendingOperations: sqlitePendingOperationStore(opened, batcher),
      records: sqliteRecordStores(opened, batcher),
      registrations: sqliteRegistrationStores(opened, batcher, shared),
      dmCredentials: sqliteDmCredentialStore(opened, batcher),
      async close() {
        if (!opened.open) return;
        batcher.flush();
        opened.close();
      },
    };
  } catch (error) {
    db?.close();
    throw new Error(`cannot open ${file}: ${(error as Error).message}`);
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cachedResourceStore } from '../../src/store/cached-resource-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { Opened } from './contracts/opened.js';
import { dmCredentialStoreContract } from './contracts/dm-credential-store.contract.js';
import { pendingOperationStoreContract } from './contracts/pending-operation-store.contract.js';
import { recordStoreContract } from './contracts/record-store.contract.js';
import { registrationStoreContract } from './contracts/registration-store.contract.js';
import { resourceStoreContract } from './contracts/resource-store.contract.js';

/** A SQLite store in a fresh temp dir, seen through `part`. */
function openSqlite<S>(part: (store: Store) => S): () => Promise<Opened<S>> {
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
    let store = openSqliteStore(dir);
    const opened: Opened<S> = {
      store: part(store),
      async reopen() {
        await store.close();
        store = openSqliteStore(dir);
        opened.store = part(store);
        return opened.store;
      },
      async dispose() {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    return opened;
  };
}

resourceStoreContract('SQLite', openSqlite((store) => store.resources));
resourceStoreContract('SQLite behind the read cache', openSqlite((store) => cachedResourceStore(store.resources, 10_000)));
resourceStoreContract('SQLite behind a read cache of 2 entries', openSqlite((store) => cachedResourceStore(store.resources, 2)));
registrationStoreContract('SQLite', openSqlite((store) => store.registrations));
recordStoreContract('SQLite', openSqlite((store) => store.records));
pendingOperationStoreContract('SQLite', openSqlite((store) => store.pendingOperations));
dmCredentialStoreContract('SQLite', openSqlite((store) => store.dmCredentials));

test('SQLite: creates the data directory and proxy.db in WAL mode', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  try {
    const dir = path.join(root, 'nested', 'data');
    await openSqliteStore(dir).close();
    const raw = new Database(path.join(dir, 'proxy.db'), { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      raw.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

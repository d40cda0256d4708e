import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { commitBatcher } from '../../src/store/commit-batcher.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { RegistrationConflictError } from '../../src/store/store-errors.js';

/** A WAL database in a temp dir with a table `t`, and a second connection that sees only what is committed. */
function openPair(): { db: Database.Database; observer: Database.Database; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batcher-test-'));
  const file = path.join(dir, 'test.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  const observer = new Database(file, { readonly: true });
  return {
    db,
    observer,
    dispose() {
      observer.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('writes queued in one turn share one commit, and each resolves once the commit is visible to another connection', async () => {
  const { db, observer, dispose } = openPair();
  try {
    const batcher = commitBatcher(db, 0);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const count = observer.prepare<[], { n: number }>('SELECT count(*) AS n FROM t');
    let transactions = 0;
    const writes = ['a', 'b', 'c', 'd'].map((k) => batcher.write(() => {
      if (!db.inTransaction) assert.fail('a batched write runs inside the batch transaction');
      if (k === 'a') transactions++;
      insert.run(k, k.toUpperCase());
      return k;
    }));
    assert.equal(count.get()!.n, 0, 'nothing is written before the batch runs');
    const seenAtResolution = await Promise.all(writes.map((write) => write.then((k) => ({ k, committed: count.get()!.n }))));
    assert.deepEqual(seenAtResolution, ['a', 'b', 'c', 'd'].map((k) => ({ k, committed: 4 })));
    assert.equal(transactions, 1);
    assert.equal(db.inTransaction, false);
  } finally {
    dispose();
  }
});

test('a failing write rejects only its own promise and leaves none of its changes; the others commit', async () => {
  const { db, observer, dispose } = openPair();
  try {
    const batcher = commitBatcher(db, 0);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const first = batcher.write(() => insert.run('a', '1'));
    const failing = batcher.write(() => {
      insert.run('half', 'written');
      insert.run('a', 'duplicate key');
    });
    const third = batcher.write(() => insert.run('c', '3'));
    const outcomes = await Promise.allSettled([first, failing, third]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(observer.prepare('SELECT k, v FROM t ORDER BY k').all(), [{ k: 'a', v: '1' }, { k: 'c', v: '3' }]);
  } finally {
    dispose();
  }
});

test('a commit window gathers writes queued across turns of the event loop into one commit', async () => {
  const { db, observer, dispose } = openPair();
  try {
    // Long enough that the next turn of the event loop comes first even on a loaded machine.
    const batcher = commitBatcher(db, 2000);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const first = batcher.write(() => insert.run('a', '1'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(observer.prepare<[], { n: number }>('SELECT count(*) AS n FROM t').get()!.n, 0, 'still waiting for the window');
    const second = batcher.write(() => insert.run('b', '2'));
    await Promise.all([first, second]);
    assert.equal(observer.prepare<[], { n: number }>('SELECT count(*) AS n FROM t').get()!.n, 2);
  } finally {
    dispose();
  }
});

test('the store: a refused registration in a batch does not fail the resource and registration writes beside it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batcher-store-test-'));
  let store = openSqliteStore(dir);
  try {
    const registrations = store.registrations<{ endpoint: string; id: string; address: string; port: number }>('kind');
    await registrations.put({ endpoint: 'a', id: 'one', address: '127.0.0.1', port: 1 }, 1000);
    const resource = { ri: 'r1', pi: '', ty: 5, rn: 'base', path: 'base', attrs: { ri: 'r1' }, internal: {} };
    const outcomes = await Promise.allSettled([
      registrations.put({ endpoint: 'b', id: 'one', address: '127.0.0.1', port: 2 }, 1000),
      registrations.put({ endpoint: 'c', id: 'two', address: '127.0.0.1', port: 3 }, 1000),
      store.resources.putResource(resource),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ['rejected', 'fulfilled', 'fulfilled']);
    assert.ok((outcomes[0] as PromiseRejectedResult).reason instanceof RegistrationConflictError);
    await store.close();
    store = openSqliteStore(dir);
    const reopened = store.registrations<{ endpoint: string; id: string; address: string; port: number }>('kind');
    assert.deepEqual((await reopened.list()).map((r) => r.endpoint), ['a', 'c']);
    assert.deepEqual(await store.resources.getResource('r1'), resource);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the store: writes still queued when it closes are committed first', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batcher-store-test-'));
  let store = openSqliteStore(dir, { commitWindowMs: 1000 });
  try {
    const written = store.records<number>('kind').put('key', 42);
    await store.close();
    await written;
    store = openSqliteStore(dir);
    assert.equal(await store.records<number>('kind').get('key'), 42);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a write that fills the disk (SQLITE_FULL): every write that resolved is stored, every write that rejected is not', async () => {
  const { db, observer, dispose } = openPair();
  try {
    const batcher = commitBatcher(db, 0);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const writes = [
      batcher.write(() => insert.run('small-1', 'x')),
      batcher.write(() => insert.run('huge', 'y'.repeat(64 * 1024))),
      batcher.write(() => insert.run('small-2', 'x')),
    ];
    const outcomes = await Promise.allSettled(writes);
    assert.equal(outcomes[1].status, 'rejected', 'the write that does not fit fails');
    const stored = new Set(observer.prepare<[], { k: string }>('SELECT k FROM t').all().map((row) => row.k));
    for (const [index, key] of ['small-1', 'huge', 'small-2'].entries()) {
      assert.equal(stored.has(key), outcomes[index].status === 'fulfilled', `${key}: stored exactly when its write resolved`);
    }
    db.pragma(`max_page_count = ${2 ** 30}`);
    assert.equal((await batcher.write(() => insert.run('after', 'x'))).changes, 1, 'the next batch commits');
  } finally {
    dispose();
  }
});

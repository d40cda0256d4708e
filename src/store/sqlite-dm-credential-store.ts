import type Database from 'better-sqlite3';
import type { CommitBatcher } from './commit-batcher.js';
import {
  type AnyDmDeviceCredentials, type AnyDmDeviceRecord, describeDmDevice, type Dm2AuthType, type DmAuthType, type DmCredentialStore, type DmNonces,
} from './dm-credential-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dm_credentials (
  dev_id TEXT PRIMARY KEY,
  auth TEXT NOT NULL,
  client_user TEXT NOT NULL,
  client_secret TEXT NOT NULL,
  server_id TEXT NOT NULL,
  server_secret TEXT NOT NULL,
  nonce_to_client TEXT,
  nonce_to_server TEXT,
  version TEXT NOT NULL DEFAULT '1.3'
);`;

/** Databases made before DM 2.0 devices existed lack the version column: every device there is a 1.3 one. */
function addVersionColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('dm_credentials')").all();
  if (!columns.some((column) => column.name === 'version')) db.exec("ALTER TABLE dm_credentials ADD COLUMN version TEXT NOT NULL DEFAULT '1.3'");
}

interface Row {
  dev_id: string;
  auth: string;
  client_user: string;
  client_secret: string;
  server_id: string;
  server_secret: string;
  nonce_to_client: string | null;
  nonce_to_server: string | null;
  version: string;
}

function record(row: Row): AnyDmDeviceRecord {
  if (row.version === '2.0') {
    const device: AnyDmDeviceRecord = { devId: row.dev_id, version: '2.0', auth: row.auth as Dm2AuthType, client: { user: row.client_user, secret: row.client_secret } };
    // A DM 2.0 device's package 0 credentials live in the server columns; empty: none.
    return row.server_id === '' ? device : { ...device, server: { id: row.server_id, secret: row.server_secret } };
  }
  const nonces: DmNonces = {};
  if (row.nonce_to_client !== null) nonces.toClient = row.nonce_to_client;
  if (row.nonce_to_server !== null) nonces.toServer = row.nonce_to_server;
  return {
    devId: row.dev_id,
    auth: row.auth as DmAuthType,
    client: { user: row.client_user, secret: row.client_secret },
    server: { id: row.server_id, secret: row.server_secret },
    nonces,
  };
}

function credentialColumns(devId: string, credentials: AnyDmDeviceCredentials) {
  const server = credentials.server ?? { id: '', secret: '' };
  return {
    dev_id: devId,
    version: credentials.version ?? '1.3',
    auth: credentials.auth,
    client_user: credentials.client.user,
    client_secret: credentials.client.secret,
    server_id: server.id,
    server_secret: server.secret,
  };
}

/** DM device credentials in their own table of the store's database; every write through the store's commit batcher. */
export function sqliteDmCredentialStore(db: Database.Database, batcher: CommitBatcher): DmCredentialStore {
  db.exec(SCHEMA);
  addVersionColumn(db);
  const select = db.prepare<[string], Row>('SELECT * FROM dm_credentials WHERE dev_id = ?');
  const selectAll = db.prepare<[], Row>('SELECT * FROM dm_credentials ORDER BY dev_id');
  const upsert = db.prepare(
    `INSERT INTO dm_credentials (dev_id, version, auth, client_user, client_secret, server_id, server_secret)
     VALUES (@dev_id, @version, @auth, @client_user, @client_secret, @server_id, @server_secret)
     ON CONFLICT (dev_id) DO UPDATE SET version = excluded.version, auth = excluded.auth, client_user = excluded.client_user,
       client_secret = excluded.client_secret, server_id = excluded.server_id, server_secret = excluded.server_secret`,
  );
  const insertIfAbsent = db.prepare(
    `INSERT INTO dm_credentials (dev_id, version, auth, client_user, client_secret, server_id, server_secret, nonce_to_client, nonce_to_server)
     VALUES (@dev_id, @version, @auth, @client_user, @client_secret, @server_id, @server_secret, @nonce_to_client, @nonce_to_server)
     ON CONFLICT (dev_id) DO NOTHING`,
  );
  const remove = db.prepare<[string]>('DELETE FROM dm_credentials WHERE dev_id = ?');
  const updateNonces = db.prepare<[string | null, string | null, string]>(
    'UPDATE dm_credentials SET nonce_to_client = ?, nonce_to_server = ? WHERE dev_id = ?',
  );

  return {
    put(devId, credentials) {
      const columns = credentialColumns(devId, credentials);
      return batcher.write(() => {
        const existed = select.get(devId) !== undefined;
        upsert.run(columns);
        return !existed;
      });
    },
    putIfAbsent(devId, credentials, nonces = {}) {
      const columns = {
        ...credentialColumns(devId, credentials),
        nonce_to_client: nonces.toClient ?? null,
        nonce_to_server: nonces.toServer ?? null,
      };
      return batcher.write(() => {
        insertIfAbsent.run(columns);
        return record(select.get(devId)!);
      });
    },
    async get(devId) {
      const row = select.get(devId);
      return row ? record(row) : undefined;
    },
    async describe(devId) {
      const row = select.get(devId);
      return row ? describeDmDevice(record(row)) : undefined;
    },
    async list() {
      return selectAll.all().map((row) => describeDmDevice(record(row)));
    },
    delete(devId) {
      return batcher.write(() => remove.run(devId).changes > 0);
    },
    setNonces(devId, change) {
      return batcher.write(() => {
        const row = select.get(devId);
        if (!row) return false;
        const toClient = change.toClient === undefined ? row.nonce_to_client : change.toClient;
        const toServer = change.toServer === undefined ? row.nonce_to_server : change.toServer;
        updateNonces.run(toClient, toServer, devId);
        return true;
      });
    },
  };
}

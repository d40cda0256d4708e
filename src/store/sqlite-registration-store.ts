import Database from 'better-sqlite3';
import type { CommitBatcher } from './commit-batcher.js';
import type { DeviceRegistration, RegistrationStore } from './registration-store.js';
import { RegistrationConflictError } from './store-errors.js';

/**
 * `seq` numbers the puts, so the latest put at an address wins; an index per lookup the interface offers. `value` is the
 * registration without the fields held in columns (endpoint, id, address, port); rows written before held them too.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS registrations (
  kind TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  id TEXT NOT NULL,
  address TEXT NOT NULL,
  port INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (kind, endpoint),
  UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS registrations_by_address ON registrations (kind, address, port, seq);
CREATE INDEX IF NOT EXISTS registrations_by_expiry ON registrations (kind, expires_at);
CREATE INDEX IF NOT EXISTS registrations_by_seq ON registrations (seq);`;

interface Row {
  kind: string;
  endpoint: string;
  id: string;
  address: string;
  port: number;
  expires_at: number;
  value: string;
}

type StoredRow = Pick<Row, 'endpoint' | 'id' | 'address' | 'port' | 'value'>;
const COLUMNS = 'endpoint, id, address, port, value';

export function sqliteRegistrationStores(db: Database.Database, batcher: CommitBatcher): <T extends DeviceRegistration>(kind: string) => RegistrationStore<T> {
  db.exec(SCHEMA);
  const upsert = db.prepare<Row>(
    `INSERT INTO registrations (kind, endpoint, id, address, port, expires_at, seq, value)
     VALUES (@kind, @endpoint, @id, @address, @port, @expires_at, (SELECT coalesce(max(seq), 0) + 1 FROM registrations), @value)
     ON CONFLICT (kind, endpoint) DO UPDATE SET id = excluded.id, address = excluded.address, port = excluded.port,
       expires_at = excluded.expires_at, seq = excluded.seq, value = excluded.value`,
  );
  const byEndpoint = db.prepare<[string, string], StoredRow>(`SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND endpoint = ?`);
  const byId = db.prepare<[string, string], StoredRow>(`SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND id = ?`);
  const byAddress = db.prepare<[string, string, number], StoredRow>(
    `SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND address = ? AND port = ? ORDER BY seq DESC LIMIT 1`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM registrations WHERE kind = ? AND endpoint = ?');
  const removeIfId = db.prepare<[string, string, string]>('DELETE FROM registrations WHERE kind = ? AND endpoint = ? AND id = ?');
  const all = db.prepare<[string], StoredRow>(`SELECT ${COLUMNS} FROM registrations WHERE kind = ? ORDER BY endpoint`);
  const expiring = db.prepare<[string, number], StoredRow>(
    `SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND expires_at <= ? ORDER BY expires_at, endpoint`,
  );
  const next = db.prepare<[string], { at: number | null }>('SELECT min(expires_at) AS at FROM registrations WHERE kind = ?');

  return <T extends DeviceRegistration>(kind: string): RegistrationStore<T> => {
    const parse = (row: StoredRow): T => {
      const value = JSON.parse(row.value) as Partial<T>;
      if ('endpoint' in value) return value as T; // written by an earlier version, columns included
      const { id, endpoint, address, port } = row;
      return { id, endpoint, address, port, ...value } as T;
    };
    const parseFound = (row: StoredRow | undefined): T | undefined => (row ? parse(row) : undefined);
    return {
      put(registration, expiresAt) {
        const { endpoint, id, address, port, ...rest } = registration;
        const row: Row = { kind, endpoint, id, address, port, expires_at: expiresAt, value: JSON.stringify(rest) };
        return batcher.write(() => {
          try {
            upsert.run(row);
          } catch (error) {
            if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new RegistrationConflictError(id);
            throw error;
          }
        });
      },
      async byEndpoint(endpoint) {
        return parseFound(byEndpoint.get(kind, endpoint));
      },
      async byId(id) {
        return parseFound(byId.get(kind, id));
      },
      async byAddress(address, port) {
        return parseFound(byAddress.get(kind, address, port));
      },
      delete(endpoint, id) {
        return batcher.write(() => (id === undefined ? remove.run(kind, endpoint) : removeIfId.run(kind, endpoint, id)).changes > 0);
      },
      async list() {
        return all.all(kind).map(parse);
      },
      async expiringBy(time) {
        return expiring.all(kind, time).map(parse);
      },
      async nextExpiry() {
        return next.get(kind)?.at ?? undefined;
      },
    };
  };
}

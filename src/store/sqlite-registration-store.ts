import Database from 'better-sqlite3';
import type { CommitBatcher } from './commit-batcher.js';
import type { DeviceRegistration, RegistrationStore } from './registration-store.js';
import { RegistrationConflictError } from './store-errors.js';
import { jsonTextOf, type SharedJson } from './shared-json.js';

/**
 * A put replaces the endpoint's row by a new one, and a new row's rowid is above every stored one: rowid order is put
 * order, so the latest put at an address wins (the address index ends with the rowid, as every index does). `value` is
 * the registration without the fields held in columns (endpoint, id, address, port); rows written before held them too.
 * `shape`: the names of value's fields as a JSON array (the same for nearly every registration of a kind, so held once
 * in shared_json, see shared-json.ts), `value` then being the array of their values; NULL in rows written before it
 * existed, whose `value` is the JSON object.
 */
const TABLE = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  kind TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  id TEXT NOT NULL,
  address TEXT NOT NULL,
  port INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  value TEXT NOT NULL,
  shape TEXT,
  PRIMARY KEY (kind, endpoint),
  UNIQUE (kind, id)
);`;
const INDEXES = `
CREATE INDEX IF NOT EXISTS registrations_by_address ON registrations (kind, address, port);
CREATE INDEX IF NOT EXISTS registrations_by_expiry ON registrations (kind, expires_at);`;

/** Tables from before put order was rowid order numbered puts in a `seq` column (with its own index): rebuilt in that order, once. */
function dropSeqColumn(db: Database.Database): void {
  const columns = db.prepare<[], string>('SELECT name FROM pragma_table_info(\'registrations\')').pluck().all();
  if (!columns.includes('seq')) return;
  db.transaction(() => {
    db.exec(TABLE('registrations_rebuilt'));
    db.exec(`INSERT INTO registrations_rebuilt (kind, endpoint, id, address, port, expires_at, value)
      SELECT kind, endpoint, id, address, port, expires_at, value FROM registrations ORDER BY seq`);
    db.exec('DROP TABLE registrations');
    db.exec('ALTER TABLE registrations_rebuilt RENAME TO registrations');
  })();
}

function addShapeColumn(db: Database.Database): void {
  const columns = db.prepare<[], string>('SELECT name FROM pragma_table_info(\'registrations\')').pluck().all();
  if (!columns.includes('shape')) db.exec('ALTER TABLE registrations ADD COLUMN shape TEXT');
}

interface Row {
  kind: string;
  endpoint: string;
  id: string;
  address: string;
  port: number;
  expires_at: number;
  value: string;
  shape: string | null;
}

type StoredRow = Pick<Row, 'endpoint' | 'id' | 'address' | 'port' | 'value' | 'shape'>;
const COLUMNS = `endpoint, id, address, port, value, ${jsonTextOf('shape')} AS shape`;

/** The fields' names and values apart (a field whose value is undefined is left out, as JSON leaves it out of an object). */
function split(fields: Record<string, unknown>): { names: string[]; values: unknown[] } {
  const names = Object.keys(fields).filter((name) => fields[name] !== undefined);
  return { names, values: names.map((name) => fields[name]) };
}

function joined(names: string[], values: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  names.forEach((name, i) => (fields[name] = values[i]));
  return fields;
}

export function sqliteRegistrationStores(db: Database.Database, batcher: CommitBatcher, shared: SharedJson): <T extends DeviceRegistration>(kind: string) => RegistrationStore<T> {
  dropSeqColumn(db);
  db.exec(TABLE('registrations') + INDEXES);
  addShapeColumn(db);
  const removeEndpoint = db.prepare<[string, string]>('DELETE FROM registrations WHERE kind = ? AND endpoint = ?');
  const insert = db.prepare<Row>(
    `INSERT INTO registrations (kind, endpoint, id, address, port, expires_at, value, shape)
     VALUES (@kind, @endpoint, @id, @address, @port, @expires_at, @value, @shape)`,
  );
  const replace = db.transaction((row: Row) => {
    removeEndpoint.run(row.kind, row.endpoint);
    insert.run({ ...row, shape: row.shape === null ? null : shared.stored(row.shape, `${row.kind} ${row.endpoint}`) });
  });
  const byEndpoint = db.prepare<[string, string], StoredRow>(`SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND endpoint = ?`);
  const byId = db.prepare<[string, string], StoredRow>(`SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND id = ?`);
  const byAddress = db.prepare<[string, string, number], StoredRow>(
    `SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND address = ? AND port = ? ORDER BY rowid DESC LIMIT 1`,
  );
  const removeIfId = db.prepare<[string, string, string]>('DELETE FROM registrations WHERE kind = ? AND endpoint = ? AND id = ?');
  const all = db.prepare<[string], StoredRow>(`SELECT ${COLUMNS} FROM registrations WHERE kind = ? ORDER BY endpoint`);
  const expiring = db.prepare<[string, number], StoredRow>(
    `SELECT ${COLUMNS} FROM registrations WHERE kind = ? AND expires_at <= ? ORDER BY expires_at, endpoint`,
  );
  const next = db.prepare<[string], { at: number | null }>('SELECT min(expires_at) AS at FROM registrations WHERE kind = ?');

  return <T extends DeviceRegistration>(kind: string): RegistrationStore<T> => {
    const parse = (row: StoredRow): T => {
      const value = (row.shape === null ? JSON.parse(row.value) : joined(JSON.parse(row.shape), JSON.parse(row.value))) as Partial<T>;
      if ('endpoint' in value) return value as T; // written by an earlier version, columns included
      const { id, endpoint, address, port } = row;
      return { id, endpoint, address, port, ...value } as T;
    };
    const parseFound = (row: StoredRow | undefined): T | undefined => (row ? parse(row) : undefined);
    return {
      put(registration, expiresAt) {
        const { endpoint, id, address, port, ...rest } = registration;
        const { names, values } = split(rest);
        const row: Row = { kind, endpoint, id, address, port, expires_at: expiresAt, value: JSON.stringify(values), shape: JSON.stringify(names) };
        return batcher.write(() => {
          try {
            replace(row);
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
        return batcher.write(() => (id === undefined ? removeEndpoint.run(kind, endpoint) : removeIfId.run(kind, endpoint, id)).changes > 0);
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

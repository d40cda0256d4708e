import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/core/config.js';
import { DeviceNodeDirectory } from '../../src/onem2m/resources/device-node-directory.js';
import { ResourceTree } from '../../src/onem2m/resources/resource-tree.js';
import { commitBatcher } from '../../src/store/commit-batcher.js';
import { sqliteResourceStore } from '../../src/store/sqlite-resource-store.js';
import { sharedJson } from '../../src/store/shared-json.js';

/**
 * A process of its own, run before the bench's proxy starts: `node node-seeder.js <dataDir> <count>` publishes `count`
 * LwM2M devices (a `<node>` with deviceInfo, firmware and battery each) into the proxy's store in `dataDir`, through the
 * same device directory a Register goes through, and prints one JSON line `{ nodes, resources, seedMs }`.
 * Only durability is relaxed (synchronous=OFF, many devices per transaction): a bench seed need not survive a crash.
 */
const BATCH = 2000;
const MGMT_OBJS = [
  { type: 'deviceInfo', rn: 'deviceInfo', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
  { type: 'firmware', rn: 'firmware', obis: ['urn:oma:lwm2m:oma:5'], obps: ['/5/0'] },
  { type: 'battery', rn: 'battery', obis: ['urn:oma:lwm2m:oma:3'], obps: ['/3/0'] },
];

async function seed(dataDir: string, count: number): Promise<Record<string, number>> {
  const started = performance.now();
  // The file name the proxy's embedded store opens (src/store/sqlite-store.ts).
  const db = new Database(path.join(dataDir, 'proxy.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const batcher = commitBatcher(db, 0);
    const tree = await ResourceTree.open(sqliteResourceStore(db, batcher, sharedJson(db)), loadConfig(process.env));
    const directory = new DeviceNodeDirectory(tree);
    // the devices of one batch are published concurrently, so their writes share the batcher's commits
    for (let first = 0; first < count; first += BATCH) {
      const batch = Array.from({ length: Math.min(count, first + BATCH) - first }, (_, offset) => first + offset);
      await Promise.all(batch.map((i) => directory.upsertDevice({ protocol: 'lwm2m', deviceId: `urn:bench:dev-${i}`, address: `coap://127.0.0.1:${10000 + (i % 50000)}`, online: true, mgmtObjs: MGMT_OBJS })));
    }
    batcher.flush();
    const resources = (db.prepare('SELECT count(*) AS n FROM resources').get() as { n: number }).n;
    return { nodes: count, resources, seedMs: Math.round(performance.now() - started) };
  } finally {
    db.close();
  }
}

try {
  const [dataDir, count] = [process.argv[2], Number(process.argv[3])];
  if (!dataDir || !Number.isInteger(count) || count < 0) throw new Error('usage: node-seeder.js <dataDir> <count>');
  console.log(JSON.stringify(await seed(dataDir, count)));
} catch (error) {
  console.error(`node seeder: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
}

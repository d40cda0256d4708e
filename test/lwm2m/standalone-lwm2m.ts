import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/core/config.js';
import { createMetricsRegistry } from '../../src/core/metrics.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startMappingService } from '../../src/mappings/mapping-service.js';
import { ResourceTree } from '../../src/onem2m/resources/resource-tree.js';
import { DeviceNodeDirectory } from '../../src/onem2m/resources/device-node-directory.js';
import { startLwm2m, type RunningLwm2m } from '../../src/lwm2m/index.js';
import { loadLwm2mSettings } from '../../src/lwm2m/settings.js';

export interface StandaloneLwm2m {
  lwm2m: RunningLwm2m;
  coapPort: number;
  store: Store;
  tree: ResourceTree;
}

/**
 * The LwM2M module alone over a fresh data dir (no HTTP binding), closed and removed after the test. `seed` writes into
 * the store before the module starts (state an earlier run left).
 */
export async function startStandaloneLwm2m(t: TestContext, env: Record<string, string>, seed?: (store: Store) => Promise<void>): Promise<StandaloneLwm2m> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lwm2m-standalone-'));
  const allEnv = { COAP_PORT: '0', BOOTSTRAP_PORT: '0', DATA_DIR: dataDir, ...env };
  const config = loadConfig(allEnv);
  const deps = { config, logger: pino({ level: 'silent' }), metrics: createMetricsRegistry() };
  const store = openSqliteStore(dataDir);
  const started: Array<{ close(): Promise<void> }> = [];
  t.after(async () => {
    for (const part of started.reverse()) await part.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await seed?.(store);
  const mappings = await startMappingService(deps);
  started.push(mappings);
  const tree = await ResourceTree.open(store.resources, config);
  const lwm2m = await startLwm2m({ ...deps, store, directory: new DeviceNodeDirectory(tree), mappings }, loadLwm2mSettings(allEnv));
  started.push(lwm2m);
  return { lwm2m, coapPort: lwm2m.listeners.find((listener) => listener.name === 'lwm2m-server')!.port, store, tree };
}

import type { Router } from 'express';
import type { ProxyConfig } from './core/config.js';
import type { CoreDeps, HealthReport } from './core/core-deps.js';
import { createLogger, type Logger } from './core/logger.js';
import { createMetricsRegistry } from './core/metrics.js';
import { AdapterRegistry } from './core/device-adapter.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { bindFailure, unusableSetting } from './core/startup-error.js';
import { startMappingService } from './mappings/mapping-service.js';
import { ResourceTree } from './onem2m/resources/resource-tree.js';
import { DeviceNodeDirectory } from './onem2m/resources/device-node-directory.js';
import { createDispatcher } from './onem2m/dispatcher.js';
import { loadAccessPolicy, type AccessPolicy } from './onem2m/access-control.js';
import { adminGuard } from './onem2m/admin-guard.js';
import { startHttpServer } from './onem2m/http-server.js';
import { startLwm2m } from './lwm2m/index.js';

export interface RunningProxy {
  httpPort: number;
  coapPort: number;
  bootstrapPort: number;
  tree: ResourceTree;
  close(): Promise<void>;
}

interface Closable { close(): Promise<void> }

/** Closes what was opened, last first. */
async function closeAll(parts: Closable[]): Promise<void> {
  for (const part of [...parts].reverse()) await part.close();
}

function openStore(config: ProxyConfig): Store {
  try {
    return openSqliteStore(config.dataDir);
  } catch (error) {
    throw unusableSetting('DATA_DIR', config.dataDir, (error as Error).message);
  }
}

function readAccessPolicy(config: ProxyConfig): AccessPolicy {
  try {
    return loadAccessPolicy(config);
  } catch (error) {
    throw unusableSetting('ACCESS_FILE', config.accessFile ?? '', (error as Error).message);
  }
}

/**
 * Composition root: builds every part and starts every listener. Files and tables are opened before any
 * socket is bound; when a part fails to start, the parts already started are closed again.
 * Tests run it in-process with port 0.
 */
export async function startProxy(config: ProxyConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningProxy> {
  const metrics = createMetricsRegistry();
  const deps: CoreDeps = { config, logger, metrics };
  const access = readAccessPolicy(config);
  const store = openStore(config);
  const opened: Closable[] = [store];
  try {
    const mappings = await startMappingService(deps);
    opened.push(mappings);
    const tree = await ResourceTree.open(store.resources, config);
    const adapters = new AdapterRegistry();
    const listeners: Record<string, boolean> = { http: false, lwm2m: false };

    const lwm2m = await startLwm2m({ ...deps, store, directory: new DeviceNodeDirectory(tree), mappings });
    opened.push(lwm2m);
    adapters.register(lwm2m.adapter);
    listeners.lwm2m = true;

    const handler = createDispatcher({ ...deps, tree, adapters, mappings, access });
    const adminRouters: Router[] = [adminGuard(access), lwm2m.adminRouter];
    const health = (): HealthReport => {
      const up = Object.values(listeners).every(Boolean);
      // A broken mappings edit keeps the last good set in service: it shows in the details, not as "down".
      return { ok: up, listeners: { ...listeners }, mappings: mappings.health() };
    };
    const http = await startHttpServer({ ...deps, handler, health, adminRouters }).catch((error: unknown) => {
      throw bindFailure('HTTP_PORT', config.host, config.httpPort, error);
    });
    opened.push(http);
    listeners.http = true;
    let closing: Promise<void> | undefined;
    logger.info({ httpPort: http.port, coapPort: lwm2m.coapPort, bootstrapPort: lwm2m.bootstrapPort }, 'proxy started');

    return {
      httpPort: http.port,
      coapPort: lwm2m.coapPort,
      bootstrapPort: lwm2m.bootstrapPort,
      tree,
      close: () => (closing ??= closeAll(opened)),
    };
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

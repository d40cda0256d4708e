import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { ProxyConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createMetricsRegistry } from './metrics.js';
import { AdapterRegistry } from './devices/adapter.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { startMappingService } from './mappings/mapping-service.js';
import { ResourceTree } from './onem2m/resources/resource-tree.js';
import { createDispatcher } from './onem2m/dispatcher.js';
import { loadAccessPolicy } from './onem2m/access-control.js';
import { adminGuard } from './onem2m/admin-guard.js';
import { startHttpServer } from './onem2m/http-server.js';
import { startLwm2m } from './lwm2m/index.js';

export interface HealthReport {
  ok: boolean;
  listeners: Record<string, boolean>;
  mappings: unknown;
}

/** What every part gets from the composition root. */
export interface CoreDeps {
  config: ProxyConfig;
  logger: Logger;
  metrics: Registry;
}

export interface RunningProxy {
  httpPort: number;
  coapPort: number;
  bootstrapPort: number;
  tree: ResourceTree;
  close(): Promise<void>;
}

/** Composition root: builds every part and starts every listener. Tests run it in-process with port 0. */
export async function startProxy(config: ProxyConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningProxy> {
  const metrics = createMetricsRegistry();
  const deps: CoreDeps = { config, logger, metrics };
  const access = loadAccessPolicy(config);
  const store = openSqliteStore(config.dataDir);
  const mappings = await startMappingService(deps);
  const tree = await ResourceTree.open(store.resources, config);
  const adapters = new AdapterRegistry();
  const listeners: Record<string, boolean> = { http: false, lwm2m: false };

  const lwm2m = await startLwm2m({ ...deps, store, directory: tree, mappings });
  adapters.register(lwm2m.adapter);
  listeners.lwm2m = true;

  const handler = createDispatcher({ ...deps, tree, adapters, access });
  const adminRouters: Router[] = [adminGuard(access), lwm2m.adminRouter];
  const health = (): HealthReport => {
    const up = Object.values(listeners).every(Boolean);
    // A broken mappings edit keeps the last good set in service: it shows in the details, not as "down".
    return { ok: up, listeners: { ...listeners }, mappings: mappings.health() };
  };
  const http = await startHttpServer({ ...deps, handler, health, adminRouters });
  listeners.http = true;
  let closing: Promise<void> | undefined;
  logger.info({ httpPort: http.port, coapPort: lwm2m.coapPort, bootstrapPort: lwm2m.bootstrapPort }, 'proxy started');

  return {
    httpPort: http.port,
    coapPort: lwm2m.coapPort,
    bootstrapPort: lwm2m.bootstrapPort,
    tree,
    close() {
      closing ??= (async () => {
        await http.close();
        await lwm2m.close();
        await mappings.close();
        await store.close();
      })();
      return closing;
    },
  };
}

import { loadConfig, spRelativeCseId, type ProxyConfig } from './core/config.js';
import type { CoreDeps, HealthReport } from './core/core-deps.js';
import { createLogger, type Logger } from './core/logger.js';
import { createMetricsRegistry } from './core/metrics.js';
import { AdapterRegistry } from './core/device-adapter.js';
import type { Listener, ModuleStart, RunningModule, TechnologyModule } from './core/technology-module.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { cachedResourceStore } from './store/cached-resource-store.js';
import type { Store } from './store/store.js';
import { bindFailure, unusableSetting } from './core/startup-error.js';
import { startMappingService } from './mappings/mapping-service.js';
import { ResourceTree } from './onem2m/resources/resource-tree.js';
import { startExpirySweep } from './onem2m/resources/expiry-sweep.js';
import { DeviceNodeDirectory } from './onem2m/resources/device-node-directory.js';
import { createDispatcher } from './onem2m/dispatcher.js';
import { StagedValuesApplier } from './onem2m/staged/staged-values-applier.js';
import { loadAccessPolicy, type AccessPolicy } from './onem2m/access-control.js';
import { adminGuard } from './onem2m/admin-guard.js';
import { startHttpServer } from './onem2m/http-server.js';
import { TECHNOLOGY_MODULES, type ModuleDeps } from './modules.js';

/** Every setting, checked: the core's configuration and each technology module ready to start. */
export interface ProxySettings {
  config: ProxyConfig;
  modules: Array<{ name: string; start: ModuleStart<ModuleDeps> }>;
  /** Opens the store (default: SQLite in DATA_DIR). */
  openStore?: (config: ProxyConfig) => Store;
}

export interface RunningProxy {
  /** Every bound socket by name: `http` and each module's (`lwm2m-server`, ...). */
  listeners: Record<string, Listener>;
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
    return openSqliteStore(config.dataDir, { commitWindowMs: config.storeCommitWindowMs });
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

/** Reads and checks the core's settings, then each module's; throws a StartupError naming the first bad one. Opens nothing. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, modules: ReadonlyArray<TechnologyModule<ModuleDeps>> = TECHNOLOGY_MODULES): ProxySettings {
  return { config: loadConfig(env), modules: modules.map((module) => ({ name: module.name, start: module.loadSettings(env) })) };
}

/**
 * Composition root: builds every part and starts every listener, the technology modules in list order, then HTTP.
 * Files and tables are opened before any socket is bound; when a part fails to start, the parts already started are
 * closed again. Tests run it in-process with port 0.
 */
export async function startProxy(settings: ProxySettings, logger: Logger = createLogger(settings.config.logLevel)): Promise<RunningProxy> {
  const { config } = settings;
  const metrics = createMetricsRegistry();
  const deps: CoreDeps = { config, logger, metrics };
  const access = readAccessPolicy(config);
  const store = (settings.openStore ?? openStore)(config);
  const opened: Closable[] = [store];
  try {
    const mappings = await startMappingService(deps);
    opened.push(mappings);
    const tree = await ResourceTree.open(cachedResourceStore(store.resources, config.resourceCacheEntries), config);
    const adapters = new AdapterRegistry();
    const modules = new Map<string, RunningModule>();
    const directory = new DeviceNodeDirectory(tree);
    const staged = new StagedValuesApplier({
      tree, adapters, originator: spRelativeCseId(config.cseId), timeoutMs: config.stagedApplyTimeoutS * 1000, logger, metrics,
    });
    directory.onStagedValues((node) => staged.deviceBound(node));
    for (const module of settings.modules) {
      const running = await module.start({ ...deps, store, directory, mappings });
      opened.push(running);
      modules.set(module.name, running);
      for (const adapter of running.adapters) adapters.register(adapter);
    }

    const handler = createDispatcher({ ...deps, tree, adapters, mappings, access, store: store.pendingOperations });
    // closed before the modules, so that no device failure caused by their closing is recorded as a final state
    opened.push(handler.pending);
    opened.push({ close: async () => staged.close() });
    opened.push(startExpirySweep(tree, logger, config.expirySweepIntervalMs));
    const adminRouters = Object.fromEntries([...modules].flatMap(([name, running]) => (running.adminRouter ? [[name, running.adminRouter]] : [])));
    const listeners: Listener[] = [...modules.values()].flatMap((running) => running.listeners);
    const health = (): HealthReport => {
      const moduleHealth = Object.fromEntries([...modules].map(([name, running]) => [name, running.health()]));
      return {
        ok: Object.values(moduleHealth).every((report) => report.ok),
        // Served over HTTP once every listener is bound.
        listeners: Object.fromEntries(listeners.map((listener) => [listener.name, true])),
        modules: moduleHealth,
        // A broken mappings edit keeps the last good set in service: it shows in the details, not as "down".
        mappings: mappings.health(),
      };
    };
    const http = await startHttpServer({ ...deps, handler, health, adminGuard: adminGuard(access), adminRouters }).catch((error: unknown) => {
      throw bindFailure('HTTP_PORT', config.host, config.httpPort, error);
    });
    opened.push(http);
    await handler.pending.resumeAll();
    staged.start((req) => handler.handleOwn(req));
    listeners.unshift({ name: 'http', protocol: 'tcp', host: config.host, port: http.port });
    let closing: Promise<void> | undefined;
    logger.info({ listeners }, 'proxy started');

    return {
      listeners: Object.fromEntries(listeners.map((listener) => [listener.name, listener])),
      tree,
      close: () => (closing ??= closeAll(opened)),
    };
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

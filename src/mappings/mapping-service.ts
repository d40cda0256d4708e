import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Counter, type Registry } from 'prom-client';
import type { CoreDeps } from '../core/core-deps.js';
import { invalidSetting, unusableSetting } from '../core/startup-error.js';
import { loadMappings } from './loader.js';
import type { LoadedMappingSet } from './mapping-set.js';
import { watchTables } from './table-watcher.js';
import type { MappingHealth, MappingService } from './types.js';

const RELOAD_FAILURES = 'mappings_reload_failures_total';

function reloadFailureCounter(registry: Registry): Counter {
  const existing = registry.getSingleMetric(RELOAD_FAILURES) as Counter | undefined;
  return existing ?? new Counter({ name: RELOAD_FAILURES, help: 'Edits of the mapping tables rejected by validation (the last good set stays in service)', registers: [registry] });
}

/**
 * Loads the tables of `config.mappingsDir` for `config.statusProfile` and keeps them current:
 * every change is validated as a whole and swapped in atomically; a broken edit leaves the
 * last good set in service. Throws a StartupError when the tables are broken at start (the proxy must not run on them).
 */
export async function startMappingService(deps: CoreDeps): Promise<MappingService> {
  const { config, logger, metrics } = deps;
  const dir = config.mappingsDir;
  const profile = config.statusProfile;
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw unusableSetting('MAPPINGS_DIR', dir, 'no such directory');
  const first = loadMappings(dir, profile);
  if (!first.ok) {
    const vocabulary = join(dir, 'status/vocabulary.yaml');
    if (first.profiles) throw invalidSetting('STATUS_PROFILE', profile, `one of the profiles in ${vocabulary}: ${first.profiles.join(', ')}`);
    throw unusableSetting('MAPPINGS_DIR', dir, `invalid mapping tables: ${first.problems.join('; ')}`, { errors: first.problems });
  }

  let current: LoadedMappingSet = first.set;
  let loadedAt = new Date().toISOString();
  let reloadFailures = 0;
  let lastErrors: string[] = [];
  const failures = reloadFailureCounter(metrics);

  const reload = () => {
    const result = loadMappings(dir, profile);
    if (result.ok) {
      current = result.set;
      loadedAt = new Date().toISOString();
      lastErrors = [];
      logger.info({ dir, profile }, 'mapping tables reloaded');
    } else {
      reloadFailures += 1;
      failures.inc();
      lastErrors = result.problems;
      logger.error({ dir, errors: result.problems }, 'mapping tables rejected; the last good set stays in service');
    }
  };
  const watcher = watchTables(dir, reload, logger);
  logger.info({ dir, profile }, 'mapping tables loaded');

  return {
    current: () => current,
    health: (): MappingHealth => ({ ok: lastErrors.length === 0, loadedAt, reloadFailures, lastErrors: [...lastErrors] }),
    async close() {
      watcher.close();
    },
  };
}

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadMappings } from '../../src/mappings/loader.js';
import type { MappingSet } from '../../src/mappings/types.js';
import { minMedian } from '../stats.js';
import type { Scenario } from './scenario.js';

const MAPPINGS_DIR = fileURLToPath(new URL('../../../mappings', import.meta.url));
/** Lookups that span the tables: a device code, a class row, a transport outcome and a DM code. */
const LOOKUPS: ReadonlyArray<Parameters<MappingSet['status']>> = [
  ['lwm2m', 'read', '2.05'],
  ['lwm2m', 'write', '4.13'],
  ['lwm2m', 'execute', 'timeout'],
  ['omadm13', 'update', '404'],
];

function load(): MappingSet {
  const loaded = loadMappings(MAPPINGS_DIR, 'default');
  if (!loaded.ok) throw new Error(`mapping tables in ${MAPPINGS_DIR}: ${loaded.problems.join('; ')}`);
  return loaded.set;
}

/** Mean ns of one status lookup over `count` lookups (the result is kept so the work cannot be optimised away). */
function lookupNs(set: MappingSet, count: number): number {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) sink += set.status(...LOOKUPS[i % LOOKUPS.length]).rsc;
  const elapsed = performance.now() - started;
  if (sink === 0) throw new Error('status lookups answered no RSC');
  return (elapsed * 1e6) / count;
}

/**
 * The mapping tables on their own (no network, so in the bench's process): the cost of one status-table lookup, which
 * every device answer pays, and of loading and checking every table, which a hot reload pays.
 */
export const mappings: Scenario = async (settings, emit) => {
  const lookups = settings.requests * 100;
  const raw: Array<{ lookupNs: number; reloadMs: number }> = [];
  let set = load();
  lookupNs(set, lookups); // warm-up
  for (let round = 0; round < settings.rounds; round++) {
    const started = performance.now();
    set = load();
    const reloadMs = performance.now() - started;
    raw.push({ lookupNs: lookupNs(set, lookups), reloadMs });
  }
  const lookup = minMedian(raw.map((round) => round.lookupNs));
  const reload = minMedian(raw.map((round) => round.reloadMs));
  emit({
    scenario: 'mappings',
    lookupsPerRound: lookups,
    rounds: raw.length,
    lookupNs: lookup.median,
    reloadMs: reload.median,
    min: { lookupNs: lookup.min, reloadMs: reload.min },
    raw,
  });
};

import { Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per proxy instance, so several instances can live in one process (tests). Parts register their own metrics on it. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

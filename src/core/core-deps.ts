import type { Registry } from 'prom-client';
import type { ProxyConfig } from './config.js';
import type { Logger } from './logger.js';

/** What every part gets from the composition root. */
export interface CoreDeps {
  config: ProxyConfig;
  logger: Logger;
  metrics: Registry;
}

/** What `/healthz` shows: every listener by name, and the mapping tables' state. */
export interface HealthReport {
  ok: boolean;
  listeners: Record<string, boolean>;
  mappings: unknown;
}

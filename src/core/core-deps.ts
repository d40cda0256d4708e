import type { Registry } from 'prom-client';
import type { ProxyConfig } from './config.js';
import type { Logger } from './logger.js';

/** What every part gets from the composition root. */
export interface CoreDeps {
  config: ProxyConfig;
  logger: Logger;
  metrics: Registry;
}

/** What a technology module reports about itself on `/healthz`. */
export interface ModuleHealth {
  ok: boolean;
  /** Anything else the module reports, shown as is. */
  [detail: string]: unknown;
}

/** What `/healthz` shows: every listener by name, each technology module's health, and the mapping tables' state. */
export interface HealthReport {
  ok: boolean;
  listeners: Record<string, boolean>;
  modules: Record<string, ModuleHealth>;
  mappings: unknown;
}

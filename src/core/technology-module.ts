import type { Router } from 'express';
import type { CoreDeps, ModuleHealth } from './core-deps.js';
import type { DeviceAdapter } from './device-adapter.js';

/**
 * One device technology (LwM2M, OMA DM, ...): one folder whose entry exports this. The composition root starts every
 * module of its list the same way and knows nothing else about it. `Deps` is what the module needs from the root.
 */
export interface TechnologyModule<Deps extends CoreDeps = CoreDeps> {
  /** Short name: the admin API is mounted under `/admin/<name>`. */
  readonly name: string;
  /**
   * Reads and checks the module's own settings from the environment, throwing a StartupError (core/startup-error.ts)
   * naming the first bad one. Opens nothing: the root checks every setting of every module before anything starts.
   * Returns how to start the module with these settings.
   */
  loadSettings(env: NodeJS.ProcessEnv): ModuleStart<Deps>;
}

/**
 * Starts a module whose settings passed: binds its listeners; when one cannot be bound, closes what it opened and
 * throws a StartupError (bindFailure).
 */
export type ModuleStart<Deps extends CoreDeps = CoreDeps> = (deps: Deps) => Promise<RunningModule>;

/** A bound socket, listed by name on `/healthz` and in the start-up log. */
export interface Listener {
  /** Unique in the proxy: the module's name first, e.g. `lwm2m-server`. */
  name: string;
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

export interface RunningModule {
  /** One per protocol the module serves (an OMA DM module: `omadm13` and `omadm20`). */
  adapters: DeviceAdapter[];
  listeners: Listener[];
  /** Routes relative to `/admin/<name>`; the root applies the admin guard before them. */
  adminRouter?: Router;
  health(): ModuleHealth;
  /** Stops listening and finishes or aborts what is in flight. */
  close(): Promise<void>;
}

import type { CoreDeps } from './core/core-deps.js';
import type { DeviceDirectory } from './core/device-directory.js';
import type { TechnologyModule } from './core/technology-module.js';
import type { MappingService } from './mappings/types.js';
import type { Store } from './store/store.js';
import { lwm2mModule } from './lwm2m/index.js';
import { omadmModule } from './omadm/index.js';

/** What the composition root gives every technology module. */
export interface ModuleDeps extends CoreDeps {
  store: Store;
  /** Where a module publishes the devices it sees (the resource tree). */
  directory: DeviceDirectory;
  mappings: MappingService;
}

/** The device technologies the proxy serves, started in this order: one line each. */
export const TECHNOLOGY_MODULES: ReadonlyArray<TechnologyModule<ModuleDeps>> = [
  lwm2mModule,
  omadmModule,
];

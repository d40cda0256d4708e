import type { Router } from 'express';
import type { CoreDeps } from '../app.js';
import type { Store } from '../store/store.js';
import type { DeviceDirectory } from '../devices/device-directory.js';
import type { DeviceAdapter } from '../devices/adapter.js';
import type { MappingService } from '../mappings/types.js';
export interface Lwm2mDeps extends CoreDeps { store: Store; directory: DeviceDirectory; mappings: MappingService }
export interface RunningLwm2m { adapter: DeviceAdapter; adminRouter: Router; coapPort: number; bootstrapPort: number; close(): Promise<void> }
export async function startLwm2m(_deps: Lwm2mDeps): Promise<RunningLwm2m> {
  throw new Error('not implemented yet');
}

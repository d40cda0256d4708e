import type { CoreDeps } from '../../app.js';
import type { DeviceAdapter } from '../../devices/adapter.js';
import type { DeviceDirectory } from '../../devices/device-directory.js';
import type { MappingService } from '../../mappings/types.js';
import type { Lwm2mDownlink } from '../downlink.js';

export interface Lwm2mAdapterDeps extends CoreDeps {
  downlink: Lwm2mDownlink;
  mappings: MappingService;
  directory: DeviceDirectory;
}

/** The LwM2M DeviceAdapter: mgmtObj operations → LwM2M Read/Write/Execute/Create/Delete. */
export function createLwm2mAdapter(_deps: Lwm2mAdapterDeps): DeviceAdapter {
  throw new Error('not implemented yet');
}

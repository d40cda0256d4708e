import type { Store } from '../../store/store.js';
import type { ProxyConfig } from '../../config.js';
import type { DeviceDirectory, DiscoveredDevice } from '../../devices/device-directory.js';
import type { Protocol } from '../../devices/adapter.js';
export class ResourceTree implements DeviceDirectory {
  static async open(_store: Store, _config: ProxyConfig): Promise<ResourceTree> {
    throw new Error('not implemented yet');
  }
  async upsertDevice(_device: DiscoveredDevice): Promise<void> {}
  async setOnline(_protocol: Protocol, _deviceId: string, _online: boolean): Promise<void> {}
  async cacheAttributes(_protocol: Protocol, _deviceId: string, _rn: string, _attributes: Record<string, unknown>): Promise<void> {}
}

import type { Protocol } from '../../core/device-adapter.js';
import type { DeviceDirectory, DiscoveredDevice, DiscoveredMgmtObj } from '../../core/device-directory.js';
import { cacheReportedDeviceAttributes, setDeviceOnline, upsertDeviceMgmtObjs, upsertDeviceNode } from './device-nodes.js';
import type { ResourceTree } from './resource-tree.js';

/** The resource tree as technology modules see it: devices become `<node>`s with `<mgmtObj>` children. */
export class DeviceNodeDirectory implements DeviceDirectory {
  constructor(private readonly tree: ResourceTree) {}

  upsertDevice(device: DiscoveredDevice): Promise<void> {
    return upsertDeviceNode(this.tree, device);
  }

  upsertMgmtObjs(protocol: Protocol, deviceId: string, type: string, mgmtObjs: DiscoveredMgmtObj[]): Promise<void> {
    return upsertDeviceMgmtObjs(this.tree, protocol, deviceId, type, mgmtObjs);
  }

  setOnline(protocol: Protocol, deviceId: string, online: boolean): Promise<void> {
    return setDeviceOnline(this.tree, protocol, deviceId, online);
  }

  cacheReportedAttributes(protocol: Protocol, deviceId: string, mgmtObj: Pick<DiscoveredMgmtObj, 'type' | 'obps'>, attributes: Record<string, unknown>): Promise<void> {
    return cacheReportedDeviceAttributes(this.tree, protocol, deviceId, mgmtObj, attributes);
  }
}

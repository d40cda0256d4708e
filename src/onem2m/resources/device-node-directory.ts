import type { Protocol } from '../../core/device-adapter.js';
import type { DeviceDirectory, DiscoveredDevice, DiscoveredMgmtObj } from '../../core/device-directory.js';
import { cacheReportedDeviceAttributes, setDeviceOnline, upsertDeviceMgmtObjs, upsertDeviceNode, type StagedNode } from './device-nodes.js';
import type { ResourceTree } from './resource-tree.js';

/** The resource tree as technology modules see it: devices become `<node>`s with `<mgmtObj>` children. */
export class DeviceNodeDirectory implements DeviceDirectory {
  private stagedListener?: (node: StagedNode) => void;

  constructor(private readonly tree: ResourceTree) {}

  /** Called after a device's node was refreshed while it holds staged mgmtObjs (set once, by the core). */
  onStagedValues(listener: (node: StagedNode) => void): void {
    this.stagedListener = listener;
  }

  async upsertDevice(device: DiscoveredDevice): Promise<void> {
    this.staged(await upsertDeviceNode(this.tree, device));
  }

  async upsertMgmtObjs(protocol: Protocol, deviceId: string, type: string, mgmtObjs: DiscoveredMgmtObj[]): Promise<void> {
    this.staged(await upsertDeviceMgmtObjs(this.tree, protocol, deviceId, type, mgmtObjs));
  }

  setOnline(protocol: Protocol, deviceId: string, online: boolean): Promise<void> {
    return setDeviceOnline(this.tree, protocol, deviceId, online);
  }

  cacheReportedAttributes(protocol: Protocol, deviceId: string, mgmtObj: Pick<DiscoveredMgmtObj, 'type' | 'obps'>, attributes: Record<string, unknown>): Promise<void> {
    return cacheReportedDeviceAttributes(this.tree, protocol, deviceId, mgmtObj, attributes);
  }

  private staged(node: StagedNode | undefined): void {
    if (node) this.stagedListener?.(node);
  }
}

import type { Protocol } from './device-adapter.js';

/** A management object a device exposes, as an adapter discovered it. */
export interface DiscoveredMgmtObj {
  /** Specialization long name: firmware, software, deviceInfo, ... */
  type: string;
  /** Resource name per the contracts: `firmware`, `software-0`, ... */
  rn: string;
  obis: string[];
  obps: string[];
}

export interface DiscoveredDevice {
  protocol: Protocol;
  /** Exact endpoint name / DevId; becomes the node's `ni`. */
  deviceId: string;
  /** Device management client address (`mgca`), e.g. `coap://127.0.0.1:56830`. */
  address: string;
  online: boolean;
  mgmtObjs: DiscoveredMgmtObj[];
}

/** How adapters publish devices into the resource tree (implemented by the resource tree). */
export interface DeviceDirectory {
  /** Create or refresh the device's `<node>` and its `<mgmtObj>` children; children of this protocol not listed are removed. */
  upsertDevice(device: DiscoveredDevice): Promise<void>;
  /** Mark the device's node online/offline (labels); keeps its children. */
  setOnline(protocol: Protocol, deviceId: string, online: boolean): Promise<void>;
  /**
   * Store attribute values the device reported on its own (LwM2M Send) into every `<mgmtObj>` of the device with
   * that specialization bound to one of the object paths, whatever its name.
   */
  cacheReportedAttributes(protocol: Protocol, deviceId: string, mgmtObj: Pick<DiscoveredMgmtObj, 'type' | 'obps'>, attributes: Record<string, unknown>): Promise<void>;
}

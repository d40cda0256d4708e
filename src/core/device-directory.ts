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
  /**
   * The specializations (long names) `mgmtObjs` is the full list of; children of other specializations are kept as
   * they are. Default: every specialization. A DM device's package 1 tells its singletons, not its SCOMO components.
   */
  covers?: readonly string[];
}

/** How adapters publish devices into the resource tree (implemented by the resource tree). */
export interface DeviceDirectory {
  /** Create or refresh the device's `<node>` and its `<mgmtObj>` children; children of this protocol not listed are removed. */
  upsertDevice(device: DiscoveredDevice): Promise<void>;
  /**
   * Match the device's `<mgmtObj>` children of one specialization to `mgmtObjs` (the full list of its instances, by
   * upsertDevice's rules: those bound to a listed instance stay, the others are removed); the node and its other
   * children stay as they are. A device without node: nothing happens.
   */
  upsertMgmtObjs(protocol: Protocol, deviceId: string, type: string, mgmtObjs: DiscoveredMgmtObj[]): Promise<void>;
  /** Mark the device's node online/offline (labels); keeps its children. */
  setOnline(protocol: Protocol, deviceId: string, online: boolean): Promise<void>;
  /**
   * Store attribute values the device reported on its own (LwM2M Send) into every `<mgmtObj>` of the device with
   * that specialization bound to one of the object paths, whatever its name.
   */
  cacheReportedAttributes(protocol: Protocol, deviceId: string, mgmtObj: Pick<DiscoveredMgmtObj, 'type' | 'obps'>, attributes: Record<string, unknown>): Promise<void>;
}

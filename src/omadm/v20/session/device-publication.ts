import type { DeviceDirectory, DiscoveredMgmtObj } from '../../../core/device-directory.js';
import type { MappingSet } from '../../../mappings/types.js';
import { DM_SINGLETON_MGMT_OBJS } from '../../common/singleton-mgmt-objs.js';
import type { Dm2Mo } from '../codec/index.js';

/**
 * The single-instance mgmtObjs whose MO the device listed in package 1 (unlike DM 1.x, DM 2.0 says which MOs it has).
 * obis: the MOID; obps: `MOID/MIID` (the MO instance as DM 2.0 addresses it, an empty MIID for the single instance:
 * a ClientURI is `obps + '/' + path`).
 */
export function dm2MgmtObjs(mappings: MappingSet, mos: readonly Dm2Mo[]): DiscoveredMgmtObj[] {
  return DM_SINGLETON_MGMT_OBJS.flatMap((type) => {
    const mapping = mappings.omadmByMgmtObj(type);
    const mo = mapping && mos.find((listed) => listed.moid === mapping.moUrn);
    return mapping && mo ? [{ type, rn: type, obis: [mo.moid], obps: [`${mo.moid}/${mo.miids[0] ?? ''}`] }] : [];
  });
}

/** Creates or refreshes the device's `<node>` (ni = DevId, protocol omadm20) with the mgmtObjs of the MOs it listed. */
export async function publishDm2Device(directory: DeviceDirectory, mappings: MappingSet, device: { devId: string; address: string; mos: readonly Dm2Mo[] }): Promise<void> {
  await directory.upsertDevice({
    protocol: 'omadm20',
    deviceId: device.devId,
    address: device.address,
    online: true,
    mgmtObjs: dm2MgmtObjs(mappings, device.mos),
    covers: DM_SINGLETON_MGMT_OBJS,
  });
}

import type { DeviceDirectory, DiscoveredMgmtObj } from '../../../core/device-directory.js';
import type { MappingSet } from '../../../mappings/types.js';
import { DM_SINGLETON_MGMT_OBJS } from '../../common/singleton-mgmt-objs.js';

/**
 * The mgmtObjs every DM device gets: the single-instance MOs of mappings/objects/omadm.yaml. Package 1 tells nothing
 * about which MOs a device has (only DevInfo), so the node offers them all and a device without one answers 404 when
 * it is used. `software` is multi-instance (one per SCOMO deployed component): its instances need a Get of the
 * device's SCOMO inventory (adapter/software-inventory.ts), so this publication covers the singletons only and leaves
 * the software children as they are.
 */
export function dmMgmtObjs(mappings: MappingSet): DiscoveredMgmtObj[] {
  return DM_SINGLETON_MGMT_OBJS.flatMap((type) => {
    const mapping = mappings.omadmByMgmtObj(type);
    return mapping ? [{ type, rn: type, obis: [mapping.moUrn], obps: [mapping.rootPath] }] : [];
  });
}

/** deviceInfo attribute values from the DevInfo/DevDetail leaves the device reported in package 1 (node URI -> value). */
export function deviceInfoValues(mappings: MappingSet, leaves: Record<string, string>): Record<string, unknown> {
  const mapping = mappings.omadmByMgmtObj('deviceInfo');
  if (!mapping) return {};
  const values: Record<string, unknown> = {};
  for (const attribute of mapping.attributes) {
    const uri = attribute.path.startsWith('./') ? attribute.path : `${mapping.rootPath}/${attribute.path}`;
    if (leaves[uri] !== undefined) values[attribute.attribute] = leaves[uri];
  }
  return values;
}

/** Creates or refreshes the device's `<node>` (ni = DevId) with its mgmtObjs, and stores what DevInfo said in deviceInfo. */
export async function publishDmDevice(
  directory: DeviceDirectory,
  mappings: MappingSet,
  device: { devId: string; address: string; leaves: Record<string, string> },
): Promise<void> {
  const mgmtObjs = dmMgmtObjs(mappings);
  await directory.upsertDevice({ protocol: 'omadm13', deviceId: device.devId, address: device.address, online: true, mgmtObjs, covers: DM_SINGLETON_MGMT_OBJS });
  const deviceInfo = mgmtObjs.find((mgmtObj) => mgmtObj.type === 'deviceInfo');
  const values = deviceInfoValues(mappings, device.leaves);
  if (deviceInfo && Object.keys(values).length > 0) await directory.cacheReportedAttributes('omadm13', device.devId, deviceInfo, values);
}

/**
 * The simulated device's initial tree: DevInfo, DevDetail, FUMO, SCOMO, LAWMO (vendor reboot under Ext) and the
 * DiagMon memory and battery leaves, at the paths mappings/objects/omadm.yaml names.
 */
import { aclFor } from './acl.js';
import { type DmNode, interior, leaf } from './dm-tree.js';

export interface DeployedComponent {
  id: string;
  name: string;
  version: string;
  /** SCOMO Deployed State: 10 inactive, 20 active. */
  state: 10 | 20;
}

export interface DeviceIdentity {
  devId: string;
  /** DevInfo/DmV: 1.2 or 1.3. */
  dmVersion: '1.2' | '1.3';
  man: string;
  mod: string;
  lang: string;
  devTyp: string;
  oem: string;
  fwV: string;
  swV: string;
  hwV: string;
  /** FUMO PkgName / PkgVersion of the installed firmware. */
  firmwareName: string;
  deployed: DeployedComponent[];
  memory: { availBytes: number; totalBytes: number };
  /** Level in %, Status as m2m:batteryStatus (1 normal). */
  battery: { level: number; status: number };
}

export const DEFAULT_IDENTITY: Omit<DeviceIdentity, 'devId' | 'dmVersion'> = {
  man: 'onem2m-dm-proxy',
  mod: 'dm-sim',
  lang: 'en-US',
  devTyp: 'simulator',
  oem: 'onem2m-dm-proxy',
  fwV: '1.0.0',
  swV: '1.0.0',
  hwV: '1.0',
  firmwareName: 'dm-sim-firmware',
  deployed: [{ id: 'base', name: 'base-services', version: '1.0.0', state: 20 }],
  memory: { availBytes: 48 * 1024 * 1024, totalBytes: 64 * 1024 * 1024 },
  battery: { level: 87, status: 1 },
};

const READ = aclFor('Get');
const READ_WRITE = aclFor('Get', 'Replace');
const EXEC = aclFor('Exec', 'Get');
const int = (name: string, value: number, acl = READ): DmNode => leaf(name, String(value), acl, { format: 'int' });
const readOnly = (name: string, value: string): DmNode => leaf(name, value, READ, { permanent: true });

export function deployedNode(component: DeployedComponent): DmNode {
  return interior(component.id, aclFor('Get', 'Delete'), [
    leaf('ID', component.id, READ),
    leaf('Name', component.name, READ),
    leaf('Version', component.version, READ),
    int('State', component.state),
    interior('Operations', EXEC, [leaf('Activate', '', EXEC), leaf('Deactivate', '', EXEC), leaf('Remove', '', EXEC)]),
  ]);
}

/** The Operations a SCOMO Download/<x> node has as soon as it exists (the device adds them, the server does not). */
export function downloadOperations(): DmNode {
  return interior('Operations', EXEC, [leaf('DownloadInstall', '', EXEC), leaf('DownloadInstallInactive', '', EXEC)]);
}

/** `largeObjects`: the device takes and sends chunked objects (DevDetail/LrgObj). */
export function initialTree(identity: DeviceIdentity, largeObjects = false): DmNode {
  const permanentRead = { permanent: true };
  return interior('.', 'Add=*&Get=*&Replace=*', [
    interior('DevInfo', READ, [
      readOnly('DevId', identity.devId),
      readOnly('Man', identity.man),
      readOnly('Mod', identity.mod),
      readOnly('DmV', identity.dmVersion),
      readOnly('Lang', identity.lang),
      interior('Ext', aclFor('Get', 'Add', 'Replace', 'Delete')),
    ], { ...permanentRead, type: 'urn:oma:mo:oma-dm-devinfo:1.0' }),
    interior('DevDetail', READ, [
      interior('URI', READ, [int('MaxDepth', 0), int('MaxTotLen', 0), int('MaxSegLen', 0)], permanentRead),
      readOnly('DevTyp', identity.devTyp),
      readOnly('OEM', identity.oem),
      readOnly('FwV', identity.fwV),
      readOnly('SwV', identity.swV),
      readOnly('HwV', identity.hwV),
      // Without large-object support the device says so (libdmclient claims true without it).
      leaf('LrgObj', String(largeObjects), READ, { format: 'bool', permanent: true }),
      interior('Ext', aclFor('Get', 'Add', 'Replace', 'Delete')),
    ], { ...permanentRead, type: 'urn:oma:mo:oma-dm-devdetail:1.0' }),
    interior('FUMO', READ, [
      leaf('PkgName', identity.firmwareName, READ_WRITE),
      leaf('PkgVersion', identity.fwV, READ_WRITE),
      interior('DownloadAndUpdate', EXEC, [leaf('PkgURL', '', READ_WRITE)]),
      int('State', 10),
      interior('Ext', aclFor('Get', 'Add', 'Replace', 'Delete')),
    ], { ...permanentRead, type: 'urn:oma:mo:oma-fumo:1.0' }),
    interior('SCOMO', READ, [
      interior('Download', aclFor('Get', 'Add', 'Replace', 'Delete')),
      interior('Inventory', READ, [interior('Deployed', READ, identity.deployed.map(deployedNode))]),
    ], { ...permanentRead, type: 'urn:oma:mo:oma-scomo:1.0' }),
    interior('LAWMO', READ, [
      int('State', 10),
      interior('Operations', EXEC, [leaf('FactoryReset', '', EXEC)]),
      interior('Ext', READ, [interior('Operations', EXEC, [leaf('Reboot', '', EXEC)])]),
    ], { ...permanentRead, type: 'urn:oma:mo:oma-lawmo:1.0' }),
    interior('DiagMon', READ, [
      interior('Memory', READ, [int('Avail', identity.memory.availBytes), int('Total', identity.memory.totalBytes)]),
      interior('Battery', READ, [int('Level', identity.battery.level), int('Status', identity.battery.status)]),
    ], { ...permanentRead, type: 'urn:oma:mo:oma-diagmon:1.0' }),
  ]);
}

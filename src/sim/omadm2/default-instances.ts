/**
 * The simulated DM 2.0 device's MO instances: DevInfo with the DM 2.0 leaves (DevID, Man, Mod, DmV, Lang, DevType, OEM,
 * FwV, SwV, HwV, Ext: DevInfo absorbed DevDetail), and the DM 1.3 simulator's FUMO, SCOMO, LAWMO and DiagMon subtrees
 * (src/sim/omadm/default-tree.ts), each instance with MIID 1.
 */
import { aclFor } from '../omadm/acl.js';
import { type DeviceIdentity, initialTree } from '../omadm/default-tree.js';
import { type DmNode, interior, leaf } from '../omadm/dm-tree.js';
import type { MoInstance } from './mo-instances.js';

export type Dm2Identity = Omit<DeviceIdentity, 'dmVersion'>;

export const MOID = {
  devInfo: 'urn:oma:mo:oma-dm-devinfo:1.0',
  fumo: 'urn:oma:mo:oma-fumo:1.0',
  scomo: 'urn:oma:mo:oma-scomo:1.0',
  lawmo: 'urn:oma:mo:oma-lawmo:1.0',
  diagMon: 'urn:oma:mo:oma-diagmon:1.0',
} as const;

export const FIRMWARE_VERSION_PATH = './DevInfo/FwV';

const ROOTS: Array<[keyof typeof MOID, string]> = [['devInfo', 'DevInfo'], ['fumo', 'FUMO'], ['scomo', 'SCOMO'], ['lawmo', 'LAWMO'], ['diagMon', 'DiagMon']];

export function initialInstances(): MoInstance[] {
  return ROOTS.map(([key, name]) => ({ moid: MOID[key], miid: '1', rootPath: `./${name}`, rootName: name }));
}

export function initialDm2Tree(identity: Dm2Identity): DmNode {
  const root = initialTree({ ...identity, dmVersion: '1.3' });
  const read = aclFor('Get');
  const readOnly = (name: string, value: string): DmNode => leaf(name, value, read, { permanent: true });
  const devInfo = interior('DevInfo', read, [
    readOnly('DevID', identity.devId),
    readOnly('Man', identity.man),
    readOnly('Mod', identity.mod),
    readOnly('DmV', '2.0'),
    readOnly('Lang', identity.lang),
    readOnly('DevType', identity.devTyp),
    readOnly('OEM', identity.oem),
    readOnly('FwV', identity.fwV),
    readOnly('SwV', identity.swV),
    readOnly('HwV', identity.hwV),
    interior('Ext', aclFor('Get', 'Add', 'Replace', 'Delete')),
  ], { permanent: true, type: MOID.devInfo });
  const children = root.children as Map<string, DmNode>;
  children.delete('DevDetail');
  children.set('DevInfo', devInfo);
  return interior('.', root.acl, [...ROOTS.map(([, name]) => children.get(name) as DmNode)]);
}

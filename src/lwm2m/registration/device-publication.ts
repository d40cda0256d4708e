import type { DiscoveredDevice, DiscoveredMgmtObj } from '../../core/device-directory.js';
import type { MappingSet } from '../../mappings/types.js';
import { coapUri, objectPath, type Registration } from './registration.js';

/** OMNA URN of an object (TS-0005 6.2.2): OMA objects below 2048, standards bodies' (`ext`) up to 10240, vendors' (`x`) above. */
export function objectUrn(objectId: number): string {
  const label = objectId < 2048 ? 'oma' : objectId <= 10240 ? 'ext' : 'x';
  return `urn:oma:lwm2m:${label}:${objectId}`;
}

/**
 * One mgmtObj per mapped object instance: singletons by type name (`deviceInfo`), multi-instance objects as
 * `<type>-<instance>` (`software-0`). Objects without a mapping, or announced without instances, give none.
 */
export function mgmtObjsOf(registration: Registration, mappings: MappingSet): DiscoveredMgmtObj[] {
  const mgmtObjs: DiscoveredMgmtObj[] = [];
  const named = new Set<string>();
  for (const link of registration.objects) {
    if (link.length < 2) continue;
    const [objectId, instanceId] = link;
    for (const mapping of mappings.lwm2mByObjectId(objectId)) {
      const rn = mapping.multiInstance ? `${mapping.mgmtObj}-${instanceId}` : mapping.mgmtObj;
      if (named.has(rn)) continue;
      named.add(rn);
      mgmtObjs.push({ type: mapping.mgmtObj, rn, obis: [objectUrn(objectId)], obps: [objectPath(registration, link)] });
    }
  }
  return mgmtObjs;
}

export function discoveredDevice(registration: Registration, mappings: MappingSet): DiscoveredDevice {
  return {
    protocol: 'lwm2m',
    deviceId: registration.endpoint,
    address: coapUri(registration.address, registration.port),
    online: true,
    mgmtObjs: mgmtObjsOf(registration, mappings),
  };
}

function sameLinks(a: number[][], b: number[][]): boolean {
  return a === b || (a.length === b.length && a.every((link, i) => link.length === b[i].length && link.every((id, j) => id === b[i][j])));
}

/** Whether two registrations of an endpoint publish the same device (with the same mappings): address, root, object links. */
export function sameDeviceView(a: Registration, b: Registration): boolean {
  return a.endpoint === b.endpoint && a.address === b.address && a.port === b.port && a.rootPath === b.rootPath && sameLinks(a.objects, b.objects);
}

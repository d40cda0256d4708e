import type { MgmtObjRef } from '../../core/device-adapter.js';
import type { Lwm2mMgmtObjMapping } from '../../mappings/types.js';
import { parsePath } from '../formats/path.js';
import { RequestRefusedError } from './errors.js';

export interface InstanceRef {
  objectId: number;
  instanceId: number;
}

/** `/3/0` or `/altRoot/3/0` (TS-0005 §6.2.3 keeps an alternate root path in objectPaths) → object and instance. */
export function parseObjectPath(path: string): InstanceRef | undefined {
  const instancePath = parsePath(`/${path.trim().split('/').filter(Boolean).slice(-2).join('/')}`);
  if (instancePath?.length !== 2) return undefined;
  return { objectId: instancePath[0], instanceId: instancePath[1] };
}

/** objectPaths entry for an instance, keeping the client's alternate root path. */
export function formatObjectPath(rootPath: string, ref: InstanceRef): string {
  const root = rootPath.replace(/^\/+|\/+$/g, '');
  return `${root ? `/${root}` : ''}/${ref.objectId}/${ref.instanceId}`;
}

/** The LwM2M object instance behind a mgmtObj: from its objectPaths, instance 0 for single-instance objects without one; else the `no-instance` refusal. */
export function instanceOf(mapping: Lwm2mMgmtObjMapping, obj: MgmtObjRef): InstanceRef {
  const path = obj.obps?.[0];
  if (path === undefined) {
    if (!mapping.multiInstance) return { objectId: mapping.objectId, instanceId: 0 };
    throw new RequestRefusedError('no-instance', `${obj.type} "${obj.rn}" has no objectPaths naming its /${mapping.objectId} instance`);
  }
  const ref = parseObjectPath(path);
  if (!ref || ref.objectId !== mapping.objectId) {
    throw new RequestRefusedError(
      'no-instance',
      `objectPaths "${path}" of ${obj.type} "${obj.rn}" does not name an instance of LwM2M object ${mapping.objectId}`,
    );
  }
  return ref;
}

import { ContentFormat, decodeContent } from '../../lwm2m/formats/index.js';
import type { Lwm2mPath } from '../../lwm2m/formats/model.js';
import { parsePath } from '../../lwm2m/formats/path.js';
import { serializeLinkFormat, type Link } from '../../lwm2m/formats/link-format.js';
import { resourceType } from '../../lwm2m/objects/registry.js';
import { isBootstrapAccount, readAccounts, usableServerAccount } from './accounts.js';
import type { DeviceAnswer, ReceivedRequest } from './coap-endpoint.js';
import type { DeviceManagement, DeviceManagementHost } from './dm-operations.js';

export interface BootstrapHost extends DeviceManagementHost {
  /** Reads of /1 and /2 (Bootstrap-Read) answer like Device Management reads. */
  readonly management: DeviceManagement;
  /** A code that Bootstrap-Finish answers whatever the configuration (e.g. `4.06`), if set. */
  forcedFinishAnswer(): string | undefined;
  /** Bootstrap-Finish was answered with `code`. */
  finished(code: string): void;
}

const DEVICE_OBJECT = 3;
const SECURITY_OBJECT = 0;
const SERVER_OBJECT = 1;

const answer = (code: string): DeviceAnswer => ({ code });

/**
 * The client side of the Bootstrap interface (seed 002, reference §6.4): Discover, Read of /1 and /2,
 * Write (creates instances, ignores access rights), Delete (never the bootstrap account nor /3/0; `/`
 * removes everything else, as Wakaama does) and Finish, answered 4.06 when no Security instance and
 * Server instance share a Short Server ID.
 */
export class BootstrapOperations {
  constructor(private readonly host: BootstrapHost) {}

  handle(request: ReceivedRequest): DeviceAnswer {
    if (request.path === '/bs') return request.method === 'POST' ? this.finish() : answer('4.05');
    const path = parsePath(request.path);
    if (!path) return answer('4.00');
    switch (request.method) {
      case 'GET':
        return request.accept === ContentFormat.LINK_FORMAT ? this.discover(path) : this.read(path, request.accept);
      case 'PUT':
        return this.write(path, request);
      case 'DELETE':
        return this.delete(path);
      default:
        return answer('4.05');
    }
  }

  private discover(path: Lwm2mPath): DeviceAnswer {
    const { store, version } = this.host;
    if (path.length > 1) return answer('4.00');
    if (path.length === 1 && !store.hasObject(path[0])) return answer('4.04');
    const links: Link[] = version === null ? [] : [{ target: '/', attributes: { lwm2m: version } }];
    for (const objectId of path.length === 1 ? path : store.objectIds()) {
      const instanceIds = store.instanceIds(objectId);
      if (instanceIds.length === 0) links.push({ target: `/${objectId}`, attributes: {} });
      for (const instanceId of instanceIds) links.push({ target: `/${objectId}/${instanceId}`, attributes: this.accountAttributes(objectId, instanceId) });
    }
    return { code: '2.05', contentFormat: ContentFormat.LINK_FORMAT, payload: Buffer.from(serializeLinkFormat(links)) };
  }

  /** `ssid` and `uri` on Security instances (no `ssid` on the bootstrap account), `ssid` on Server instances. */
  private accountAttributes(objectId: number, instanceId: number): Link['attributes'] {
    const { store } = this.host;
    if (objectId === SERVER_OBJECT) return { ssid: String(store.get(SERVER_OBJECT, instanceId, 0)) };
    if (objectId !== SECURITY_OBJECT) return {};
    const uri = String(store.get(SECURITY_OBJECT, instanceId, 0));
    return isBootstrapAccount(store, instanceId) ? { uri } : { ssid: String(store.get(SECURITY_OBJECT, instanceId, 10)), uri };
  }

  private read(path: Lwm2mPath, accept: number | undefined): DeviceAnswer {
    if (path[0] !== SERVER_OBJECT && path[0] !== 2) return answer('4.00');
    return this.host.management.read(path, accept);
  }

  private write(path: Lwm2mPath, request: ReceivedRequest): DeviceAnswer {
    const { store, objects, context } = this.host;
    const format = request.contentFormat;
    if (path.length === 0 || format === undefined) return answer('4.00');
    if (!this.host.policy().supported.includes(format)) return answer('4.15');
    if (!store.hasObject(path[0])) return answer('4.04');
    let values;
    try {
      values = decodeContent(format, request.payload, path, resourceType);
    } catch {
      return answer('4.00');
    }
    for (const [objectId, instanceId] of values.map((value) => value.path)) {
      if (!store.instance(objectId, instanceId)) store.putInstance(objectId, instanceId, objects.get(objectId)?.defaults(instanceId, context) ?? new Map());
    }
    store.applyValues(values, 'replace');
    return answer('2.04');
  }

  private delete(path: Lwm2mPath): DeviceAnswer {
    const { store } = this.host;
    if (path.length > 2 || (path.length > 0 && !store.hasObject(path[0]))) return answer('4.00');
    const [objectId, instanceId] = path;
    if (instanceId !== undefined) {
      if (this.kept(objectId, instanceId)) return answer('4.00');
      store.deleteInstance(objectId, instanceId);
      return answer('2.02');
    }
    for (const oid of objectId === undefined ? store.objectIds() : [objectId]) {
      for (const iid of store.instanceIds(oid)) if (!this.kept(oid, iid)) store.deleteInstance(oid, iid);
    }
    return answer('2.02');
  }

  private finish(): DeviceAnswer {
    const consistent = usableServerAccount(readAccounts(this.host.store)) !== undefined;
    const code = this.host.forcedFinishAnswer() ?? (consistent ? '2.04' : '4.06');
    this.host.finished(code);
    return answer(code);
  }

  /** Bootstrap-Delete never removes the bootstrap account nor the Device object instance. */
  private kept(objectId: number, instanceId: number): boolean {
    return (objectId === SECURITY_OBJECT && isBootstrapAccount(this.host.store, instanceId)) || (objectId === DEVICE_OBJECT && instanceId === 0);
  }
}

import { ContentFormat, decodeContent, encodeContent } from '../../lwm2m/formats/index.js';
import type { Lwm2mPath, ResourceValue } from '../../lwm2m/formats/model.js';
import { serializeLinkFormat, type Link } from '../../lwm2m/formats/link-format.js';
import { formatPath } from '../../lwm2m/formats/path.js';
import { isExecutable, isReadable, isWritable, objectModel, resourceModel, resourceType } from '../../lwm2m/objects/registry.js';
import type { DeviceAnswer } from './coap-endpoint.js';
import { readFormat, type FormatPolicy, type Lwm2mVersion } from './content-negotiation.js';
import type { NotificationAttributes } from './notification-attributes.js';
import type { ObjectStore } from './object-store.js';
import type { DeviceContext, SimulatedObject } from './objects/simulated-object.js';

/** A request of the Device Management interface, its path already below the client's root. */
export interface DmRequest {
  method: string;
  path: Lwm2mPath;
  query: string[];
  accept?: number;
  contentFormat?: number;
  payload: Buffer;
}

/** What the device around the operations provides. */
export interface DeviceManagementHost {
  readonly store: ObjectStore;
  readonly objects: ReadonlyMap<number, SimulatedObject>;
  readonly context: DeviceContext;
  /** Write-Attributes by path, reported again by Discover and used by observations. */
  readonly attributes: NotificationAttributes;
  readonly version: Lwm2mVersion | null;
  /** Path segments of the alternate root (`['lwm2m']`), empty for `/`. */
  readonly rootSegments: readonly string[];
  policy(): FormatPolicy;
  /** An instance was created or deleted: the registration's object list changed. */
  instancesChanged(): void;
}

/** Write-Attributes parameters (1.0 and 1.1), all numeric. */
const NOTIFICATION_ATTRIBUTES = new Set(['pmin', 'pmax', 'gt', 'lt', 'st', 'epmin', 'epmax']);

type Operation = 'read' | 'write' | 'execute';

const answer = (code: string): DeviceAnswer => ({ code });

/**
 * Read, Write (replace / partial update), Execute, Create, Delete, Discover and Write-Attributes on the
 * simulated objects, with the response codes of the LwM2M tables (seed 000): unknown target 4.04, operation
 * the resource does not allow 4.05, bad payload 4.00, unsupported Content-Format 4.15, unacceptable Accept 4.06.
 */
export class DeviceManagement {
  constructor(private readonly host: DeviceManagementHost) {}

  handle(request: DmRequest): DeviceAnswer {
    const { method, path } = request;
    if (path.length === 0) return answer('4.05');
    if (path[0] === 0) return answer('4.01'); // the Security object is never exposed to an LwM2M Server
    switch (method) {
      case 'GET':
        return request.accept === ContentFormat.LINK_FORMAT ? this.discover(path) : this.read(path, request.accept);
      case 'PUT':
        if (request.payload.length === 0 && request.query.length > 0) return this.writeAttributes(path, request.query);
        return this.write(request, 'replace');
      case 'POST':
        if (path.length === 1) return this.create(request);
        if (path.length === 2) return this.write(request, 'merge');
        if (path.length === 3) return this.execute(path, request.payload);
        return answer('4.05');
      case 'DELETE':
        return this.delete(path);
      default:
        return answer('4.05');
    }
  }

  /** Values readable below `path` (Read of the Bootstrap interface uses it too). */
  read(path: Lwm2mPath, accept: number | undefined): DeviceAnswer {
    const missing = this.missing(path, 'read');
    if (missing) return answer(missing);
    const { store, objects, context } = this.host;
    const [objectId, instanceId, resourceId] = path;
    if (resourceId !== undefined && !this.readable(objectId, resourceId)) return answer('4.05');
    for (const iid of instanceId === undefined ? store.instanceIds(objectId) : [instanceId]) objects.get(objectId)?.beforeRead?.(context, iid);
    const values = store.valuesAt(path).filter((value) => this.readable(objectId, value.path[2]));
    const singleValue = path.length === 4 || (path.length === 3 && !(store.get(objectId, instanceId, resourceId) instanceof Map));
    const type = resourceId === undefined ? undefined : resourceType(objectId, resourceId);
    const format = readFormat(this.host.policy(), accept, singleValue, type);
    if (format === '4.06') return answer('4.06');
    return { code: '2.05', contentFormat: format, payload: encodeContent(format, values, path, resourceType) };
  }

  private write(request: DmRequest, mode: 'replace' | 'merge'): DeviceAnswer {
    const { path } = request;
    if (path.length < 2) return answer('4.05');
    const missing = this.missing(path, 'write');
    if (missing) return answer(missing);
    const values = this.decode(request, path);
    if (typeof values === 'string') return answer(values);
    const refused = this.refusedWrite(values);
    if (refused) return answer(refused);
    this.storeValues(values, path.length === 4 ? 'merge' : mode);
    return answer('2.04');
  }

  private execute(path: Lwm2mPath, args: Buffer): DeviceAnswer {
    const missing = this.missing(path, 'execute');
    if (missing) return answer(missing);
    const [objectId, instanceId, resourceId] = path;
    if (!isExecutable(objectId, resourceId)) return answer('4.05');
    const outcome = this.host.objects.get(objectId)?.execute?.[resourceId]?.(this.host.context, instanceId, args.toString('utf8'));
    return answer(outcome ?? '2.04');
  }

  private create(request: DmRequest): DeviceAnswer {
    const { store, objects, context, rootSegments } = this.host;
    const [objectId] = request.path;
    if (!store.hasObject(objectId)) return answer('4.04');
    if (objectModel(objectId)?.multiple === false) return answer('4.05');
    const decoded = this.decodeNewInstance(request, objectId);
    if (typeof decoded === 'string') return answer(decoded);
    const { instanceId, values } = decoded;
    if (store.instance(objectId, instanceId)) return answer('4.00'); // already exists
    if (this.refusedWrite(values, true)) return answer('4.00');
    store.putInstance(objectId, instanceId, objects.get(objectId)?.defaults(instanceId, context) ?? new Map());
    this.storeValues(values, 'replace');
    this.host.instancesChanged();
    return { code: '2.01', locationPath: [...rootSegments, String(objectId), String(instanceId)] };
  }

  private delete(path: Lwm2mPath): DeviceAnswer {
    if (path.length !== 2) return answer('4.05');
    const [objectId, instanceId] = path;
    if (!this.host.store.hasObject(objectId)) return answer('4.04');
    if (objectModel(objectId)?.multiple === false) return answer('4.05');
    if (!this.host.store.deleteInstance(objectId, instanceId)) return answer('4.04');
    this.host.instancesChanged();
    return answer('2.02');
  }

  private discover(path: Lwm2mPath): DeviceAnswer {
    const missing = this.missing(path, 'read');
    if (missing) return answer(missing);
    const { store, rootSegments } = this.host;
    const root = rootSegments.length > 0 ? '/' + rootSegments.join('/') : '';
    const links: Link[] = [];
    const link = (target: Lwm2mPath): void => {
      links.push({ target: root + formatPath(target), attributes: { ...this.dimension(target), ...this.host.attributes.at(target) } });
    };
    const [objectId, instanceId] = path;
    if (path.length >= 3) {
      link(path);
    } else {
      if (path.length === 1) link(path);
      for (const iid of instanceId === undefined ? store.instanceIds(objectId) : [instanceId]) {
        link([objectId, iid]);
        for (const rid of this.resourceIds(objectId, iid)) link([objectId, iid, rid]);
      }
    }
    return { code: '2.05', contentFormat: ContentFormat.LINK_FORMAT, payload: Buffer.from(serializeLinkFormat(links)) };
  }

  private writeAttributes(path: Lwm2mPath, query: string[]): DeviceAnswer {
    const missing = this.missing(path, 'read');
    if (missing) return answer(missing);
    const changes: Array<[string, string | undefined]> = [];
    for (const parameter of query) {
      const [name, value] = parameter.split('=', 2);
      if (!NOTIFICATION_ATTRIBUTES.has(name)) return answer('4.00');
      if (value !== undefined && !/^-?\d+(\.\d+)?$/.test(value)) return answer('4.00');
      changes.push([name, value]);
    }
    this.host.attributes.write(path, changes);
    return answer('2.04');
  }

  /** 4.04 when the target does not exist for this operation, else undefined. */
  private missing(path: Lwm2mPath, operation: Operation): string | undefined {
    const { store } = this.host;
    const [objectId, instanceId, resourceId, resourceInstanceId] = path;
    if (!store.hasObject(objectId)) return '4.04';
    if (instanceId === undefined) return undefined;
    const instance = store.instance(objectId, instanceId);
    if (!instance) return '4.04';
    if (resourceId === undefined) return undefined;
    const content = instance.get(resourceId);
    if (content === undefined) {
      // executable and write-only resources hold no value but exist; an optional resource never set does not
      const model = resourceModel(objectId, resourceId);
      if (!model) return '4.04';
      return model.operations === 'E' || operation === 'write' || !model.operations.includes('R') ? undefined : '4.04';
    }
    if (resourceInstanceId === undefined || operation === 'write') return undefined;
    return content instanceof Map && content.has(resourceInstanceId) ? undefined : '4.04';
  }

  /** The values the payload carries, all below `path` (the decoders check that), or the error code. */
  private decode(request: DmRequest, path: Lwm2mPath): ResourceValue[] | string {
    const format = request.contentFormat;
    if (format === undefined) return '4.00';
    if (!this.host.policy().supported.includes(format)) return '4.15';
    try {
      return decodeContent(format, request.payload, path, resourceType);
    } catch {
      return '4.00';
    }
  }

  /** Create payloads name their instance (TLV object instance, SenML `/9/3/...`) or not (resources only: the device picks a free ID). */
  private decodeNewInstance(request: DmRequest, objectId: number): { instanceId: number; values: ResourceValue[] } | string {
    const freeId = this.host.store.freeInstanceId(objectId);
    const asObject = this.decode(request, [objectId]);
    const values = asObject === '4.00' ? this.decode(request, [objectId, freeId]) : asObject;
    if (typeof values === 'string') return values;
    const instanceIds = new Set(values.map((value) => value.path[1]));
    if (instanceIds.size > 1) return '4.00';
    return { instanceId: [...instanceIds][0] ?? freeId, values };
  }

  /** 4.05 for a resource that is not writable, 4.04 for one the object does not define, 4.00 for a value of the wrong shape. */
  private refusedWrite(values: ResourceValue[], creating = false): string | undefined {
    for (const { path } of values) {
      const [objectId, , resourceId, resourceInstanceId] = path;
      const model = resourceModel(objectId, resourceId);
      if (!model) {
        if (objectModel(objectId)) return '4.04';
        continue;
      }
      if (model.multiple !== (resourceInstanceId !== undefined)) return '4.00';
      if (isExecutable(objectId, resourceId)) return '4.05';
      if (!creating && !isWritable(objectId, resourceId)) return '4.05';
    }
    return undefined;
  }

  private storeValues(values: ResourceValue[], mode: 'replace' | 'merge'): void {
    const { store, objects, context } = this.host;
    for (const [objectId, instanceId, resourceId] of store.applyValues(values, mode)) {
      objects.get(objectId)?.written?.(context, instanceId, resourceId);
    }
  }

  /** Objects without a model (announced by tests, e.g. `/3303/0`) expose whatever values they hold. */
  private readable(objectId: number, resourceId: number): boolean {
    return objectModel(objectId) ? isReadable(objectId, resourceId) : true;
  }

  /** Resources an instance exposes: those holding a value and the executable ones. */
  private resourceIds(objectId: number, instanceId: number): number[] {
    const ids = new Set(this.host.store.instance(objectId, instanceId)?.keys());
    for (const model of objectModel(objectId)?.resources.values() ?? []) if (model.operations === 'E') ids.add(model.id);
    return [...ids].sort((a, b) => a - b);
  }

  /** `dim=N` for multiple resources (LwM2M 1.1+). */
  private dimension(path: Lwm2mPath): Link['attributes'] {
    if (path.length !== 3 || this.host.version === null || this.host.version === '1.0') return {};
    const content = this.host.store.get(path[0], path[1], path[2]);
    return content instanceof Map ? { dim: String(content.size) } : {};
  }
}

import type { Lwm2mPath, Lwm2mValue, ResourceValue } from '../../lwm2m/formats/model.js';

/** A single resource holds a value; a multiple resource holds its resource instances by ID. */
export type ResourceContent = Lwm2mValue | Map<number, Lwm2mValue>;
export type InstanceContent = Map<number, ResourceContent>;

export function isMultiple(content: ResourceContent): content is Map<number, Lwm2mValue> {
  return content instanceof Map;
}

/** The device's data: object → instance → resource → value. Knows nothing about operations or access rights. */
export class ObjectStore {
  private readonly objects = new Map<number, Map<number, InstanceContent>>();
  private changeListener?: () => void;

  /** `listener` runs after every change made through this class (observations compare what they read then). */
  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  /** Declares an object the device supports, even while it has no instance. */
  addObject(objectId: number): void {
    if (!this.objects.has(objectId)) this.objects.set(objectId, new Map());
  }

  hasObject(objectId: number): boolean {
    return this.objects.has(objectId);
  }

  objectIds(): number[] {
    return [...this.objects.keys()].sort((a, b) => a - b);
  }

  instanceIds(objectId: number): number[] {
    return [...(this.objects.get(objectId)?.keys() ?? [])].sort((a, b) => a - b);
  }

  instance(objectId: number, instanceId: number): InstanceContent | undefined {
    return this.objects.get(objectId)?.get(instanceId);
  }

  /** Lowest free instance ID of an object. */
  freeInstanceId(objectId: number): number {
    const used = this.objects.get(objectId) ?? new Map();
    let id = 0;
    while (used.has(id)) id++;
    return id;
  }

  putInstance(objectId: number, instanceId: number, content: InstanceContent): void {
    this.addObject(objectId);
    this.objects.get(objectId)!.set(instanceId, content);
    this.changeListener?.();
  }

  deleteInstance(objectId: number, instanceId: number): boolean {
    const deleted = this.objects.get(objectId)?.delete(instanceId) ?? false;
    if (deleted) this.changeListener?.();
    return deleted;
  }

  get(objectId: number, instanceId: number, resourceId: number): ResourceContent | undefined {
    return this.instance(objectId, instanceId)?.get(resourceId);
  }

  /** Sets a resource of an existing instance; returns false when the instance does not exist. */
  set(objectId: number, instanceId: number, resourceId: number, content: ResourceContent): boolean {
    const instance = this.instance(objectId, instanceId);
    if (!instance) return false;
    instance.set(resourceId, content);
    this.changeListener?.();
    return true;
  }

  /**
   * Stores decoded values into existing instances. `replace` makes each multiple resource hold exactly the
   * written resource instances (Write Replace); `merge` adds them to the existing ones (Partial Update).
   * Returns the IDs `[objectId, instanceId, resourceId]` of the resources written.
   */
  applyValues(values: ResourceValue[], mode: 'replace' | 'merge'): Lwm2mPath[] {
    const written = new Map<string, Lwm2mPath>();
    for (const { path, value } of values) {
      const [objectId, instanceId, resourceId, resourceInstanceId] = path;
      const instance = this.instance(objectId, instanceId);
      if (!instance) continue;
      const key = `${objectId}/${instanceId}/${resourceId}`;
      const firstOfResource = !written.has(key);
      written.set(key, [objectId, instanceId, resourceId]);
      if (resourceInstanceId === undefined) {
        instance.set(resourceId, value);
        continue;
      }
      const current = instance.get(resourceId);
      const keep = current instanceof Map && !(mode === 'replace' && firstOfResource);
      const instances = keep ? current : new Map<number, Lwm2mValue>();
      instances.set(resourceInstanceId, value);
      instance.set(resourceId, instances);
    }
    if (written.size > 0) this.changeListener?.();
    return [...written.values()];
  }

  /** Flat resource values below `path` (object, instance, resource or resource instance), in ID order. */
  valuesAt(path: Lwm2mPath): ResourceValue[] {
    const [objectId, instanceId, resourceId, resourceInstanceId] = path;
    const instanceIds = instanceId === undefined ? this.instanceIds(objectId) : [instanceId];
    const values: ResourceValue[] = [];
    for (const iid of instanceIds) {
      const instance = this.instance(objectId, iid);
      if (!instance) continue;
      const resourceIds = resourceId === undefined ? [...instance.keys()].sort((a, b) => a - b) : [resourceId];
      for (const rid of resourceIds) {
        const content = instance.get(rid);
        if (content === undefined) continue;
        if (!isMultiple(content)) {
          values.push({ path: [objectId, iid, rid], value: content });
          continue;
        }
        const riids = resourceInstanceId === undefined ? [...content.keys()].sort((a, b) => a - b) : [resourceInstanceId];
        for (const riid of riids) {
          const value = content.get(riid);
          if (value !== undefined) values.push({ path: [objectId, iid, rid, riid], value });
        }
      }
    }
    return values;
  }

  /** Deep copy, so a snapshot can be restored (factory reset) without sharing maps. */
  clone(): ObjectStore {
    const copy = new ObjectStore();
    copy.restore(this);
    return copy;
  }

  /** Replaces everything with a deep copy of `snapshot`. */
  restore(snapshot: ObjectStore): void {
    this.objects.clear();
    for (const [objectId, instances] of snapshot.objects) {
      this.addObject(objectId);
      for (const [instanceId, content] of instances) this.putInstance(objectId, instanceId, cloneInstance(content));
    }
    this.changeListener?.();
  }
}

export function cloneInstance(content: InstanceContent): InstanceContent {
  return new Map([...content].map(([rid, value]) => [rid, isMultiple(value) ? new Map(value) : value]));
}

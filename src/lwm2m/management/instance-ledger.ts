import type { Lwm2mClientInfo } from '../downlink.js';
import type { InstanceRef } from './object-path.js';

interface Corrections {
  /** The registered object list the corrections apply to. */
  basis: Lwm2mClientInfo['objects'];
  /** Per object, instance ID → true: it exists (the proxy created it, or the device said so); false: the proxy deleted it. */
  known: Map<number, Map<number, boolean>>;
}

/**
 * The object instances of each endpoint as the proxy knows them: the registered list, corrected by the instances
 * the proxy created or deleted since. A client announces its new list only at its next Registration Update, so
 * without this a second Create would pick the instance the first one just made. A new list (Register, or an
 * Update with a payload) replaces the corrections: the client's own list is the truth again.
 */
export class InstanceLedger {
  private readonly endpoints = new Map<string, Corrections>();

  /** Instance IDs of an object the client has, as far as the proxy knows. */
  instanceIds(client: Lwm2mClientInfo, objectId: number): Set<number> {
    const ids = new Set(client.objects.filter((link) => link[0] === objectId && link.length > 1).map((link) => link[1]));
    for (const [instanceId, exists] of this.corrections(client).known.get(objectId) ?? []) {
      if (exists) ids.add(instanceId);
      else ids.delete(instanceId);
    }
    return ids;
  }

  /** The instance exists now (the proxy created it, or the device answered that it already exists). */
  exists(client: Lwm2mClientInfo, instance: InstanceRef): void {
    this.record(client, instance, true);
  }

  deleted(client: Lwm2mClientInfo, instance: InstanceRef): void {
    this.record(client, instance, false);
  }

  forget(endpoint: string): void {
    this.endpoints.delete(endpoint);
  }

  private record(client: Lwm2mClientInfo, { objectId, instanceId }: InstanceRef, exists: boolean): void {
    const { known } = this.corrections(client);
    const instances = known.get(objectId) ?? new Map<number, boolean>();
    instances.set(instanceId, exists);
    known.set(objectId, instances);
  }

  private corrections(client: Lwm2mClientInfo): Corrections {
    let corrections = this.endpoints.get(client.endpoint);
    if (!corrections || corrections.basis !== client.objects) {
      corrections = { basis: client.objects, known: new Map() };
      this.endpoints.set(client.endpoint, corrections);
    }
    return corrections;
  }
}

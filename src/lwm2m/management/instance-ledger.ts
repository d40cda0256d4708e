import type { Lwm2mClientInfo } from '../downlink.js';
import type { InstanceRef } from './object-path.js';

interface Changes {
  /** The registered object list these changes apply to. */
  basis: Lwm2mClientInfo['objects'];
  /** `oid/iid` → true: exists (the proxy created it, or the device said so); false: the proxy deleted it. */
  known: Map<string, boolean>;
}

const keyOf = (objectId: number, instanceId: number) => `${objectId}/${instanceId}`;

/**
 * The object instances of each endpoint as the proxy knows them: the registered list, corrected by the instances
 * the proxy created or deleted since. A client announces its new list only at its next Registration Update, so
 * without this a second Create would pick the instance the first one just made. A new list (Register, or an
 * Update with a payload) replaces the corrections: the client's own list is the truth again.
 */
export class InstanceLedger {
  private readonly endpoints = new Map<string, Changes>();

  /** Instance IDs of an object the client has, as far as the proxy knows. */
  instanceIds(client: Lwm2mClientInfo, objectId: number): Set<number> {
    const ids = new Set(client.objects.filter((link) => link[0] === objectId && link.length > 1).map((link) => link[1]));
    for (const [key, exists] of this.changes(client).known) {
      const [oid, iid] = key.split('/').map(Number);
      if (oid !== objectId) continue;
      if (exists) ids.add(iid);
      else ids.delete(iid);
    }
    return ids;
  }

  /** The instance exists now (the proxy created it, or the device answered that it already exists). */
  exists(client: Lwm2mClientInfo, instance: InstanceRef): void {
    this.changes(client).known.set(keyOf(instance.objectId, instance.instanceId), true);
  }

  deleted(client: Lwm2mClientInfo, instance: InstanceRef): void {
    this.changes(client).known.set(keyOf(instance.objectId, instance.instanceId), false);
  }

  forget(endpoint: string): void {
    this.endpoints.delete(endpoint);
  }

  private changes(client: Lwm2mClientInfo): Changes {
    let changes = this.endpoints.get(client.endpoint);
    if (!changes || changes.basis !== client.objects) {
      changes = { basis: client.objects, known: new Map() };
      this.endpoints.set(client.endpoint, changes);
    }
    return changes;
  }
}

/**
 * SUB/UNSUB (reference §2): after a change in the subtree a ClientURI names, the device HTTP PUTs that subtree's MO data
 * to the subscription's ServerURI. Changes are found by comparing the subtree's data with what was last reported.
 */
import { parseClientUri } from './client-uri.js';
import type { MoInstances } from './mo-instances.js';
import type { MoDataEntry } from './wire.js';

export interface Subscription {
  clientUri: string;
  serverUri: string;
  /** The data as last reported (or as it was when subscribed). */
  last: string;
}

export class Subscriptions {
  private readonly byUri = new Map<string, Subscription>();

  /** Subscribes (again) with the subtree's current data as the starting point. */
  add(clientUri: string, serverUri: string, instances: MoInstances): void {
    this.byUri.set(clientUri, { clientUri, serverUri, last: fingerprint(dataOf(clientUri, instances)) });
  }

  /** false when there was no subscription for exactly this ClientURI. */
  remove(clientUri: string): boolean {
    return this.byUri.delete(clientUri);
  }

  /** The subscriptions whose subtree changed since last reported, with the data to report (now taken as reported). */
  changed(instances: MoInstances): Array<{ subscription: Subscription; data: MoDataEntry[] }> {
    const out: Array<{ subscription: Subscription; data: MoDataEntry[] }> = [];
    for (const subscription of this.byUri.values()) {
      const data = dataOf(subscription.clientUri, instances);
      const text = fingerprint(data);
      if (text === subscription.last) continue;
      subscription.last = text;
      out.push({ subscription, data });
    }
    return out;
  }

  clear(): void {
    this.byUri.clear();
  }
}

/** The subtree's MO data now; an empty list once it is gone (its deletion is a change too). */
function dataOf(clientUri: string, instances: MoInstances): MoDataEntry[] {
  const parsed = parseClientUri(clientUri);
  if (!('uri' in parsed)) return [];
  const resolved = instances.resolve({ ...parsed.uri, cv: undefined });
  return 'targets' in resolved ? resolved.targets.map((target) => instances.moData(target)) : [];
}

/** The data without its cache validators: those change with the whole instance, not only with this subtree. */
const fingerprint = (data: MoDataEntry[]): string => JSON.stringify(data.map((entry) => [entry.ClientURI, entry.MOData]));

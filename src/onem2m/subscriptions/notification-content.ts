/** What a `<subscription>` notifies of one change (TS-0004 m2m:sgn): the event, its representation per nct, filtered by enc.atr. */
import { isDeepStrictEqual } from 'node:util';
import type { StoredResource } from '../../store/resource-store.js';
import type { ResourceTree } from '../resources/resource-tree.js';
import { withExecutablesRead } from '../resources/operations/executable-attributes.js';
import { NOTIFICATION_CONTENT, NOTIFICATION_EVENT, type SubscriptionRecord } from './subscription-record.js';

/** lt moves with every write: a change of lt alone is no change of the resource. */
const BOOKKEEPING = new Set(['lt']);

export function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !BOOKKEEPING.has(key) && !isDeepStrictEqual(before[key], after[key]));
}

function representation(tree: ResourceTree, record: SubscriptionRecord, resource: StoredResource, changed: string[] | undefined): unknown {
  if (record.nct === NOTIFICATION_CONTENT.resourceId) return resource.ri;
  const shown = withExecutablesRead(tree, resource, resource.attrs);
  const attrs = record.nct === NOTIFICATION_CONTENT.modifiedAttributes && changed
    ? Object.fromEntries(changed.filter((key) => key in shown).map((key) => [key, shown[key]]))
    : shown;
  return { [tree.specOf(resource).rootKey]: attrs };
}

/**
 * The m2m:sgn for event `net` about `resource` (for an update, `previous` is the version it replaced), or undefined
 * when the subscription does not ask for it: another event type, or an update of no attribute of enc.atr.
 */
export function notificationFor(
  tree: ResourceTree, sur: string, record: SubscriptionRecord, net: number, resource: StoredResource, previous?: StoredResource,
): Record<string, unknown> | undefined {
  if (!record.net.includes(net)) return undefined;
  let changed: string[] | undefined;
  if (net === NOTIFICATION_EVENT.update && previous) {
    changed = changedAttributes(previous.attrs, resource.attrs);
    if (changed.length === 0) return undefined;
    if (record.atr && !changed.some((key) => record.atr!.includes(key))) return undefined;
  }
  return {
    'm2m:sgn': {
      nev: { rep: representation(tree, record, resource, changed), net },
      sur,
      ...(record.cr !== undefined ? { cr: record.cr } : {}),
    },
  };
}

/** The Notify telling the subscriber its subscription is gone (subscriptionDeletion). */
export function deletionNotice(sur: string, record: SubscriptionRecord): Record<string, unknown> {
  return { 'm2m:sgn': { sud: true, sur, ...(record.cr !== undefined ? { cr: record.cr } : {}) } };
}

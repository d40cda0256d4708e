/** A `<subscription>` as the engine keeps it in memory: what deciding and addressing its notifications needs. */
import type { StoredResource } from '../../store/resource-store.js';

export const NOTIFICATION_EVENT = { update: 1, delete: 2, createChild: 3, deleteChild: 4 } as const;
export const NOTIFICATION_CONTENT = { allAttributes: 1, modifiedAttributes: 2, resourceId: 3 } as const;

export interface SubscriptionRecord {
  ri: string;
  /** The subscribed-to resource (the subscription's parent). */
  pi: string;
  path: string;
  nu: string[];
  net: number[];
  /** Attributes whose change is notified (enc.atr); undefined: any. */
  atr?: string[];
  nct: number;
  /** Notifications left (expirationCounter); undefined: no limit. */
  exc?: number;
  su?: string;
  /** Set when the Create asked for the creator (`cr`): notifications carry it. */
  cr?: string;
  /** The originator that created it: notifications carry only what it may retrieve. */
  creator: string;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function subscriptionRecord(resource: StoredResource): SubscriptionRecord {
  const { nu, enc, nct, exc, su, cr } = resource.attrs;
  const criteria = (typeof enc === 'object' && enc !== null ? enc : {}) as Record<string, unknown>;
  const net = Array.isArray(criteria.net) ? criteria.net.filter((n): n is number => typeof n === 'number') : [];
  const atr = strings(criteria.atr);
  return {
    ri: resource.ri,
    pi: resource.pi,
    path: resource.path,
    nu: strings(nu),
    net: net.length > 0 ? net : [NOTIFICATION_EVENT.update],
    atr: atr.length > 0 ? atr : undefined,
    nct: typeof nct === 'number' ? nct : NOTIFICATION_CONTENT.allAttributes,
    exc: typeof exc === 'number' ? exc : undefined,
    su: typeof su === 'string' ? su : undefined,
    cr: typeof cr === 'string' ? cr : undefined,
    creator: typeof resource.internal.creator === 'string' ? resource.internal.creator : typeof cr === 'string' ? cr : '',
  };
}

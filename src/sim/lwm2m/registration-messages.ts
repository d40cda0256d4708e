import { serializeLinkFormat, type Link } from '../../lwm2m/formats/link-format.js';
import type { Lwm2mVersion } from './content-negotiation.js';
import type { ObjectStore } from './object-store.js';

/** What the Register query says about the client (seed 001 Table 6). */
export interface RegisterParameters {
  endpoint: string;
  version: Lwm2mVersion | null;
  lifetime?: number;
  binding?: string;
  queueMode: boolean;
  sms?: string;
  extraQuery: readonly string[];
}

/** Parameters an Update may carry (only those that changed, seed 001 Table 8). */
export interface UpdateParameters {
  lifetime?: number;
  binding?: string;
  sms?: string;
  /** Send the object list as payload (the device's current instances). */
  objects?: boolean;
  /** Raw query parameters appended as they are. */
  extraQuery?: string[];
}

/**
 * `ep`, `lt`, `lwm2m`, `b`, `sms` and queue mode: `b=UQ` for 1.0 (Q appended to the binding, default U),
 * a separate `Q` parameter from 1.1 on; then the raw extra parameters.
 */
export function registerQuery(parameters: RegisterParameters): string[] {
  const { endpoint, version, lifetime, binding, queueMode, sms, extraQuery } = parameters;
  const legacyQueue = queueMode && (version === null || version === '1.0');
  const query = [`ep=${endpoint}`];
  if (lifetime !== undefined) query.push(`lt=${lifetime}`);
  if (version !== null) query.push(`lwm2m=${version}`);
  if (binding !== undefined || legacyQueue) query.push(`b=${binding ?? 'U'}${legacyQueue ? 'Q' : ''}`);
  if (sms !== undefined) query.push(`sms=${sms}`);
  if (queueMode && !legacyQueue) query.push('Q');
  return [...query, ...extraQuery];
}

export function updateQuery(parameters: UpdateParameters): string[] {
  const query: string[] = [];
  if (parameters.lifetime !== undefined) query.push(`lt=${parameters.lifetime}`);
  if (parameters.binding !== undefined) query.push(`b=${parameters.binding}`);
  if (parameters.sms !== undefined) query.push(`sms=${parameters.sms}`);
  return [...query, ...(parameters.extraQuery ?? [])];
}

/**
 * CoRE link-format object list: the root link `</root>;rt="oma.lwm2m";ct=N` when an alternate root path or a
 * preferred format is announced, then every object instance (`</3/0>`) or, for an object without instances,
 * the object (`</9>`). The Security object is never listed (seed 001).
 */
export function objectLinks(store: ObjectStore, rootPath: string, preferredFormat: number | undefined): string {
  const links: Link[] = [];
  if (rootPath !== '' || preferredFormat !== undefined) {
    const attributes: Link['attributes'] = { rt: 'oma.lwm2m' };
    if (preferredFormat !== undefined) attributes.ct = String(preferredFormat);
    links.push({ target: rootPath === '' ? '/' : rootPath, attributes });
  }
  for (const objectId of store.objectIds()) {
    if (objectId === 0) continue;
    const instanceIds = store.instanceIds(objectId);
    if (instanceIds.length === 0) links.push({ target: `${rootPath}/${objectId}`, attributes: {} });
    for (const instanceId of instanceIds) links.push({ target: `${rootPath}/${objectId}/${instanceId}`, attributes: {} });
  }
  return serializeLinkFormat(links);
}

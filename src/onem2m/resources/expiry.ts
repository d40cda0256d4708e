/**
 * expirationTime (`et`) of `<node>`s and `<mgmtObj>`s. Resources that stand for a device (the node a device bound to,
 * and every mgmtObj under it) never expire: their et is served and may be set, but the device keeps them. Everything
 * else a CSE created expires at its et. `<request>`s have a lifetime of their own (src/onem2m/pending) and are left out.
 */
import type { StoredResource } from '../../store/resource-store.js';
import { RESOURCE_TYPE } from '../../core/attribute-dictionary.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { oneM2MTimestamp, parseOneM2MTimestamp } from './onem2m-time.js';

/** The et of resources the proxy creates for devices: the last second a four-digit-year timestamp can name, i.e. never. */
export const DEVICE_EXPIRATION_TIME = '99991231T235959';

/** Whether expiry applies to this resource type at all. */
export function isExpirableType(ty: number): boolean {
  return ty === RESOURCE_TYPE.node || ty === RESOURCE_TYPE.mgmtObj || ty === RESOURCE_TYPE.subscription;
}

/** A `<node>` a device has bound to (the proxy created it for the device, or the device took a CSE's node by its ni). */
export function isDeviceNode(node: StoredResource): boolean {
  return node.ty === RESOURCE_TYPE.node && node.internal.protocol !== undefined;
}

/** Whether the resource's own et has passed (an et that is no timestamp never passes). */
export function etHasPassed(resource: StoredResource, now = Date.now()): boolean {
  const et = typeof resource.attrs.et === 'string' ? parseOneM2MTimestamp(resource.attrs.et) : undefined;
  return et !== undefined && et <= now;
}

/** The et a CSE's resource gets when its Create names none. */
export function defaultExpirationTime(defaultS: number, now = Date.now()): string {
  return oneM2MTimestamp(new Date(now + defaultS * 1000));
}

/** 4000 when the content carries an et that is no real date or is not in the future (as reference CSEs answer). */
export function checkRequestedExpiration(content: Record<string, unknown>, now = Date.now()): void {
  if (content.et === undefined) return;
  const et = typeof content.et === 'string' ? parseOneM2MTimestamp(content.et) : undefined;
  if (et === undefined) throw new RequestError(RSC.BAD_REQUEST, `attribute "et" (expirationTime) "${String(content.et)}" is no date YYYYMMDDTHHMMSS[,ffffff]`);
  if (et <= now) throw new RequestError(RSC.BAD_REQUEST, `attribute "et" (expirationTime) "${content.et}" is not in the future`);
}

/**
 * Device values that do not convert are left out of a Retrieve's answer, and the answer says so: Content Status
 * PARTIAL_CONTENT (TS-0004 §6.3.4.2.44; HTTP `X-M2M-CTS`) and which attributes and why in Vendor Information
 * (HTTP `X-M2M-VSI`), as a successful response carries the resource, not `m2m:dbg`.
 */
import type { LeftOutAttribute } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import type { ResponsePrimitive } from '../../../core/primitives.js';

/** m2m:contentStatus PARTIAL_CONTENT. */
export const PARTIAL_CONTENT = 1;

/** The resource as answered: without the left-out attributes (a value stored from an earlier read included). */
export function withoutLeftOut(resource: StoredResource, leftOut: readonly LeftOutAttribute[] | undefined): StoredResource {
  if (!leftOut?.length) return resource;
  const names = new Set(leftOut.map((left) => left.attribute));
  return { ...resource, attrs: Object.fromEntries(Object.entries(resource.attrs).filter(([name]) => !names.has(name))) };
}

/** Content Status and Vendor Information of an answer that left attributes out; nothing when none was. */
export function partialContent(leftOut: readonly LeftOutAttribute[]): Pick<ResponsePrimitive, 'cnst' | 'vsi'> {
  if (leftOut.length === 0) return {};
  return { cnst: PARTIAL_CONTENT, vsi: `left out: ${leftOut.map((left) => `${left.attribute} (${left.reason})`).join('; ')}` };
}

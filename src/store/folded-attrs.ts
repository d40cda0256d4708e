import type { StoredResource } from './resource-store.js';

/**
 * Attributes held in their own columns are stored once: `attrs` JSON leaves out ty, ri, rn and pi when they equal the
 * columns, and lt when it equals ct (a resource never modified), and a bit mask says which to put back on read. Mask 0
 * (rows written before the mask existed) reads the JSON as it is.
 */
const TY = 1;
const RI = 2;
const RN = 4;
const PI = 8;
const LT = 16;
const COLUMN_KEYS = [['ty', TY], ['ri', RI], ['rn', RN], ['pi', PI]] as const;

export interface FoldedAttrs {
  json: string;
  folded: number;
}

export function foldAttrs(resource: StoredResource): FoldedAttrs {
  const { attrs } = resource;
  const keys = Object.keys(attrs);
  let folded = 0;
  // Only a leading run in the order they are put back, and lt right after ct: a read gives the keys in their order.
  let lead = 0;
  for (const [key, bit] of COLUMN_KEYS) {
    if (keys[lead] === key && attrs[key] === resource[key]) {
      folded |= bit;
      lead++;
    }
  }
  const ct = keys.indexOf('ct');
  if (ct >= lead && keys[ct + 1] === 'lt' && attrs.ct !== undefined && attrs.lt === attrs.ct) folded |= LT;
  if (folded === 0) return { json: JSON.stringify(attrs), folded };
  const kept: Record<string, unknown> = {};
  for (let i = lead; i < keys.length; i++) {
    if (!(folded & LT && i === ct + 1)) kept[keys[i]] = attrs[keys[i]];
  }
  return { json: JSON.stringify(kept), folded };
}

/** The attributes as they were put, in their order. */
export function unfoldAttrs(json: string, folded: number, columns: Pick<StoredResource, 'ty' | 'ri' | 'rn' | 'pi'>): Record<string, unknown> {
  const stored = JSON.parse(json) as Record<string, unknown>;
  if (folded === 0) return stored;
  const attrs: Record<string, unknown> = {};
  if (folded & TY) attrs.ty = columns.ty;
  if (folded & RI) attrs.ri = columns.ri;
  if (folded & RN) attrs.rn = columns.rn;
  if (folded & PI) attrs.pi = columns.pi;
  for (const key of Object.keys(stored)) {
    attrs[key] = stored[key];
    if (key === 'ct' && folded & LT) attrs.lt = stored.ct;
  }
  return attrs;
}

import type { StoredResource } from './resource-store.js';

/**
 * Attributes held elsewhere in the row are stored once: `attrs` JSON leaves out ty, ri, rn and pi when they equal the
 * columns, ct when it is a oneM2M timestamp (kept as epoch seconds in its own column), and lt when it equals ct (a
 * resource never modified); a bit mask says which to put back on read. Only a leading run of keys in that order is left
 * out (and lt only right after ct), so a read gives the keys in their order. Mask 0 (rows written before the mask
 * existed) reads the JSON as it is.
 */
const TY = 1;
const RI = 2;
const RN = 4;
const PI = 8;
const LT = 16;
const CT = 32;
const COLUMN_KEYS = [['ty', TY], ['ri', RI], ['rn', RN], ['pi', PI]] as const;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;

export interface FoldedAttrs {
  json: string;
  folded: number;
  /** ct as epoch seconds when it is left out of `json`, else null. */
  ctSeconds: number | null;
}

/** The latest text timestampSeconds answered for: a device's resources are written with the same ct. */
let lastTimestamp: { text: string; seconds: number | undefined } = { text: '', seconds: undefined };

/** `20250102T030405` as epoch seconds, when formatting them back gives exactly the same text. */
function timestampSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (value !== lastTimestamp.text) lastTimestamp = { text: value, seconds: parsedTimestampSeconds(value) };
  return lastTimestamp.seconds;
}

function parsedTimestampSeconds(value: string): number | undefined {
  const parts = TIMESTAMP.exec(value);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  return Number.isFinite(seconds) && formatTimestamp(seconds) === value ? seconds : undefined;
}

function formatTimestamp(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export function foldAttrs(resource: StoredResource): FoldedAttrs {
  const { attrs } = resource;
  const keys = Object.keys(attrs);
  let folded = 0;
  let lead = 0;
  for (const [key, bit] of COLUMN_KEYS) {
    if (keys[lead] === key && attrs[key] === resource[key]) {
      folded |= bit;
      lead++;
    }
  }
  const ctSeconds = keys[lead] === 'ct' ? timestampSeconds(attrs.ct) : undefined;
  if (ctSeconds !== undefined) {
    folded |= CT;
    lead++;
  }
  const ct = keys.indexOf('ct');
  const ltFolded = ct >= 0 && keys[ct + 1] === 'lt' && attrs.ct !== undefined && attrs.lt === attrs.ct;
  if (ltFolded) folded |= LT;
  if (folded === 0) return { json: JSON.stringify(attrs), folded, ctSeconds: null };
  const kept: Record<string, unknown> = {};
  for (let i = lead; i < keys.length; i++) {
    if (!(ltFolded && i === ct + 1)) kept[keys[i]] = attrs[keys[i]];
  }
  return { json: JSON.stringify(kept), folded, ctSeconds: ctSeconds ?? null };
}

/** The row's columns unfoldAttrs puts back. */
export type FoldedColumns = Pick<StoredResource, 'ty' | 'ri' | 'rn' | 'pi'> & { ct_seconds: number | null };

/** The attributes as they were put, in their order. */
export function unfoldAttrs(json: string, folded: number, columns: FoldedColumns): Record<string, unknown> {
  const stored = JSON.parse(json) as Record<string, unknown>;
  if (folded === 0) return stored;
  const attrs: Record<string, unknown> = {};
  if (folded & TY) attrs.ty = columns.ty;
  if (folded & RI) attrs.ri = columns.ri;
  if (folded & RN) attrs.rn = columns.rn;
  if (folded & PI) attrs.pi = columns.pi;
  if (folded & CT) {
    attrs.ct = formatTimestamp(columns.ct_seconds ?? 0);
    if (folded & LT) attrs.lt = attrs.ct;
  }
  for (const key of Object.keys(stored)) {
    attrs[key] = stored[key];
    if (key === 'ct' && folded & LT) attrs.lt = stored.ct;
  }
  return attrs;
}

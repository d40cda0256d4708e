import type { FilterCriteria } from '../../core/primitives.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';

/** Primitive parameters carried in the query string (TS-0009 Table 6.2.2.2-1) that the proxy serves. */
export interface QueryParameters {
  rcn?: number;
  /** `rt`: the responseTypeValue. */
  rtv?: number;
  drt?: number;
  atrl?: string[];
  fc?: FilterCriteria;
  /** Result Persistence as given. */
  rp?: string;
}

const KNOWN = new Set(['rcn', 'rt', 'drt', 'atrl', 'fu', 'ty', 'lbl', 'lim', 'ofst', 'mgd', 'rp']);
const NON_NEGATIVE_INTEGER = /^\d{1,15}$/;

function decode(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RequestError(RSC.BAD_REQUEST, `query parameter "${name}": malformed percent-encoding in "${raw}"`);
  }
}

function integer(name: string, text: string): number {
  if (!NON_NEGATIVE_INTEGER.test(text)) throw new RequestError(RSC.BAD_REQUEST, `query parameter "${name}" must be a non-negative integer, got "${text}"`);
  return Number(text);
}

/** Raw (still encoded) values of each known parameter; repeated parameters keep every value. */
function collect(rawQuery: string, onUnknown: (name: string) => void): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    if (!KNOWN.has(rawName)) {
      onUnknown(rawName);
      continue;
    }
    values.set(rawName, [...(values.get(rawName) ?? []), rawValue]);
  }
  return values;
}

/**
 * Multi-valued parameters take repetition and `+`-joining (`ty=13+14`); splitting happens before
 * percent-decoding, so an encoded space (`%20`) stays inside one value.
 */
function multiValues(name: string, raws: string[] | undefined): string[] | undefined {
  if (raws === undefined) return undefined;
  return raws.flatMap((raw) => raw.split('+')).map((piece) => decode(name, piece)).filter((value) => value !== '');
}

function singleValue(name: string, raws: string[] | undefined): string | undefined {
  if (raws === undefined) return undefined;
  if (raws.length > 1) throw new RequestError(RSC.BAD_REQUEST, `query parameter "${name}" given more than once`);
  return decode(name, raws[0].replace(/\+/g, ' '));
}

export function parseQuery(rawQuery: string, onUnknown: (name: string) => void = () => {}): QueryParameters {
  const raw = collect(rawQuery, onUnknown);
  const singleInteger = (name: string) => {
    const text = singleValue(name, raw.get(name));
    return text === undefined ? undefined : integer(name, text);
  };
  const integerList = (name: string) => multiValues(name, raw.get(name))?.map((value) => integer(name, value));

  const fc: FilterCriteria = {};
  const fu = singleInteger('fu');
  const ty = integerList('ty');
  const lbl = multiValues('lbl', raw.get('lbl'));
  const lim = singleInteger('lim');
  const ofst = singleInteger('ofst');
  const mgd = integerList('mgd');
  if (fu !== undefined) fc.fu = fu;
  if (ty?.length) fc.ty = ty;
  if (lbl?.length) fc.lbl = lbl;
  if (lim !== undefined) fc.lim = lim;
  if (ofst !== undefined) fc.ofst = ofst;
  if (mgd?.length) fc.mgd = mgd;

  const result: QueryParameters = {};
  const rcn = singleInteger('rcn');
  const rtv = singleInteger('rt');
  const drt = singleInteger('drt');
  const atrl = multiValues('atrl', raw.get('atrl'))?.flatMap((value) => value.split(/\s+/)).filter(Boolean);
  if (rcn !== undefined) result.rcn = rcn;
  if (rtv !== undefined) result.rtv = rtv;
  if (drt !== undefined) result.drt = drt;
  if (atrl?.length) result.atrl = atrl;
  const rp = singleValue('rp', raw.get('rp'));
  if (rp !== undefined) result.rp = rp;
  if (Object.keys(fc).length > 0) result.fc = fc;
  return result;
}

/**
 * Discovery: Retrieve with fu=1 answers `m2m:uril`, the addresses of matching descendants at any depth (TS-0004 §7.3.3.1
 * with filterCriteria), in creation order, one page at a time: at most `lim` (DISCOVERY_DEFAULT_LIMIT without it, never
 * more than DISCOVERY_MAX_LIMIT) after skipping `ofst` matches. When more matches exist the answer says so with Content
 * Status PARTIAL_CONTENT and the Content Offset to ask next (TS-0001 §8.1.3; HTTP `X-M2M-CTS` / `X-M2M-CTO`).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ResourceSummary } from '../../../store/resource-store.js';
import type { StoredResource } from '../../../store/store.js';
import type { RequestPrimitive, ResponsePrimitive } from '../../../core/primitives.js';
import { RESOURCE_TYPE } from '../../../core/attribute-dictionary.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { addressOf, checkDrt, RCN } from './result-content.js';
import { PARTIAL_CONTENT } from './partial-content.js';
import { inNodeVisibleTo, visibleTo, type OperationContext } from './operation-context.js';

/** discoveryResultReferences, the later-release rcn for discovery results. */
const RCN_DISCOVERY_RESULT_REFERENCES = 11;
/** Candidates the store examines per step; other requests run between steps, so no discovery holds the process long. */
const SCAN_WINDOW = 500;
/**
 * Candidates per step while `ofst` matches are passed over in the store: counted, not read, so a step of this size
 * costs about what a SCAN_WINDOW step does (1-4 ms at 100k nodes; counting by `ty` costs the most per candidate).
 */
const SKIP_WINDOW = 2500;
const STORED_TYPES: ReadonlySet<number> = new Set(Object.values(RESOURCE_TYPE));

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new RequestError(RSC.BAD_REQUEST, `${name} must be a non-negative integer, got ${value}`);
}

/** Whether the originator sees a match: by its `<node>`, or for a `<request>` by its owner (read only for those). */
function visibility(ctx: OperationContext, req: RequestPrimitive): (match: ResourceSummary) => Promise<boolean> {
  const inVisibleNode = inNodeVisibleTo(ctx, req);
  const visible = visibleTo(ctx, req);
  return async (match) => {
    if (match.ty !== RESOURCE_TYPE.request) return inVisibleNode(match);
    const request = await ctx.tree.get(match.ri);
    return request !== undefined && visible(request);
  };
}

/**
 * Whether the originator sees every match: it may touch every `<node>`, and the scan finds no `<request>` whose owner
 * it is not (it is an admin, or `ty` leaves `<request>`s out).
 */
function seesEveryMatch(ctx: OperationContext, req: RequestPrimitive, ty: readonly number[] | undefined): boolean {
  if (!ctx.access.allowsEveryNode(req.fr)) return false;
  return (ty !== undefined && !ty.includes(RESOURCE_TYPE.request)) || ctx.access.deniedReason(req.fr, 'admin') === undefined;
}

export async function discover(ctx: OperationContext, req: RequestPrimitive, target: StoredResource): Promise<ResponsePrimitive> {
  const fc = req.fc ?? {};
  if (req.rcn !== undefined && req.rcn !== RCN.childReferences && req.rcn !== RCN_DISCOVERY_RESULT_REFERENCES) {
    throw new RequestError(RSC.BAD_REQUEST, `rcn=${req.rcn} is not allowed for discovery (allowed: 6, 11)`);
  }
  checkDrt(req.drt);
  checkCount('lim', fc.lim);
  checkCount('ofst', fc.ofst);
  const limit = Math.min(fc.lim ?? ctx.discovery.defaultLimit, ctx.discovery.maxLimit);
  const offset = fc.ofst ?? 0;
  // Only the types the tree holds can match; this also bounds the per-type index lookups of a long `ty` list.
  const ty = fc.ty?.length ? [...new Set(fc.ty)].filter((type) => STORED_TYPES.has(type)) : undefined;
  const isVisible = visibility(ctx, req);
  // Then no match needs a look of its own, and the store can count the `ofst` ones rather than read them.
  const everyMatchVisible = seesEveryMatch(ctx, req, ty);

  const page: ResourceSummary[] = [];
  let skipped = 0;
  let more = false;
  let after: number | undefined;
  scan: while (ty === undefined || ty.length > 0) {
    const skip = everyMatchVisible ? offset - skipped : 0;
    const chunk = await ctx.tree.findDescendants({
      under: target.path, ty, lbl: fc.lbl, mgd: fc.mgd, after, ...(skip > 0 ? { skip, window: SKIP_WINDOW } : { window: SCAN_WINDOW }),
    });
    skipped += chunk.skipped ?? 0;
    for (const match of chunk.matches) {
      if (!everyMatchVisible && !(await isVisible(match))) continue;
      if (skipped < offset) skipped++;
      else if (page.length < limit) page.push(match);
      else {
        more = true;
        break scan;
      }
    }
    if (chunk.next === undefined) break;
    after = chunk.next;
    await nextTurn();
  }
  const uris = page.map((match) => addressOf(match, req.drt));
  return { rsc: RSC.OK, rqi: req.rqi, pc: { 'm2m:uril': uris }, ...(more ? { cnst: PARTIAL_CONTENT, cnot: offset + page.length } : {}) };
}

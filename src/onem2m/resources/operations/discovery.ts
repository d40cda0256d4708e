/** Discovery: Retrieve with fu=1 answers `m2m:uril`, the addresses of matching descendants (TS-0004 §7.3.3.1 with filterCriteria). */
import type { StoredResource } from '../../../store/store.js';
import type { FilterCriteria, RequestPrimitive, ResponsePrimitive } from '../../../core/primitives.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import { addressOf, checkDrt, RCN } from './result-content.js';
import { visibleTo, type OperationContext } from './operation-context.js';

/** discoveryResultReferences, the later-release rcn for discovery results. */
const RCN_DISCOVERY_RESULT_REFERENCES = 11;

/** Conditions combine with AND; several values of one condition with OR. */
function matches(resource: StoredResource, fc: FilterCriteria): boolean {
  if (fc.ty?.length && !fc.ty.includes(resource.ty)) return false;
  if (fc.mgd?.length && !fc.mgd.includes(Number(resource.attrs.mgd))) return false;
  if (fc.lbl?.length) {
    const labels = Array.isArray(resource.attrs.lbl) ? resource.attrs.lbl : [];
    if (!fc.lbl.some((l) => labels.includes(l))) return false;
  }
  return true;
}

export async function discover(ctx: OperationContext, req: RequestPrimitive, target: StoredResource): Promise<ResponsePrimitive> {
  const fc = req.fc ?? {};
  if (req.rcn !== undefined && req.rcn !== RCN.childReferences && req.rcn !== RCN_DISCOVERY_RESULT_REFERENCES) {
    throw new RequestError(RSC.BAD_REQUEST, `rcn=${req.rcn} is not allowed for discovery (allowed: 6, 11)`);
  }
  checkDrt(req.drt);
  if (fc.lim !== undefined && (!Number.isInteger(fc.lim) || fc.lim < 0)) {
    throw new RequestError(RSC.BAD_REQUEST, `lim must be a non-negative integer, got ${fc.lim}`);
  }
  const visible = visibleTo(ctx, req);
  const found = (await ctx.tree.descendants(target)).filter((r) => visible(r) && matches(r, fc));
  const limited = fc.lim === undefined ? found : found.slice(0, fc.lim);
  return { rsc: RSC.OK, rqi: req.rqi, pc: { 'm2m:uril': limited.map((r) => addressOf(r, req.drt)) } };
}

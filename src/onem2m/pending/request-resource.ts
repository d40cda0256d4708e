/** The `<request>` resource (ty 17, m2m:req) of a non-blocking request: created PENDING, completed with the final response. */
import type { RequestPrimitive, ResponsePrimitive } from '../../core/primitives.js';
import { REQUEST_SPEC } from '../../core/attribute-dictionary.js';
import type { StoredResource } from '../../store/resource-store.js';
import type { ResourceTree } from '../resources/resource-tree.js';
import { oneM2MTimestamp } from '../resources/onem2m-time.js';

/** requestStatus (TS-0004 §6.3.4.2.x m2m:requestStatus). */
export const REQUEST_STATUS = { COMPLETED: 1, FAILED: 2, PENDING: 3 } as const;

/** The request parameters a `<request>` keeps in metaInformation: those the request carried. */
function metaInformation(req: RequestPrimitive): Record<string, unknown> {
  const candidates: Record<string, unknown> = {
    ty: req.ty, rt: req.rt, rp: req.rp, rcn: req.rcn, ot: req.ot, rqet: req.rqet, rset: req.rset, oet: req.oet, ec: req.ec, drt: req.drt, fc: req.fc, rvi: req.rvi,
  };
  return Object.fromEntries(Object.entries(candidates).filter(([, value]) => value !== undefined));
}

/** A new `<request>` child of the CSEBase (not stored yet), PENDING, expiring at `expiresAt` (epoch ms). */
export function newRequestResource(tree: ResourceTree, req: RequestPrimitive, expiresAt: number): StoredResource {
  return tree.newChild(tree.cseBase, REQUEST_SPEC, {
    et: oneM2MTimestamp(new Date(expiresAt)),
    op: req.op,
    tg: req.to,
    org: req.fr,
    rid: req.rqi,
    mi: metaInformation(req),
    ...(req.pc !== undefined ? { pc: req.pc } : {}),
    rs: REQUEST_STATUS.PENDING,
  }, {});
}

/**
 * The response primitive as the originator gets it later (operationResult, and the content of an rt=2 notification):
 * `to` the originator, `fr` this CSE.
 */
export function operationResult(response: ResponsePrimitive, originator: string, cseId: string, rvi: string | undefined): Record<string, unknown> {
  return {
    rsc: response.rsc,
    rqi: response.rqi,
    ...(response.pc !== undefined ? { pc: response.pc } : {}),
    to: originator,
    fr: cseId,
    ...(rvi !== undefined ? { rvi } : {}),
    ...(response.cnst !== undefined ? { cnst: response.cnst } : {}),
    ...(response.cnot !== undefined ? { cnot: response.cnot } : {}),
  };
}

/** requestStatus for the RSC of a final response: COMPLETED for a 2xxx, FAILED otherwise. */
export function requestStatusOf(rsc: number): number {
  return rsc >= 2000 && rsc < 3000 ? REQUEST_STATUS.COMPLETED : REQUEST_STATUS.FAILED;
}

import type { StoredResource } from '../../../store/resource-store.js';
import { RSC } from '../../../core/rsc.js';
import { RequestError } from '../../../core/request-error.js';
import type { OperationContext } from './operation-context.js';

/** A node's ni names one device, which binds to the node holding it: a second node with that ni is a conflict (4105). */
export async function refuseTakenNodeId(ctx: OperationContext, ni: unknown, self?: StoredResource): Promise<void> {
  if (typeof ni !== 'string') return;
  const holder = (await ctx.tree.nodesByNodeId(ni)).find((node) => node.ri !== self?.ri);
  if (holder) throw new RequestError(RSC.CONFLICT, `node "${holder.path}" already has ni "${ni}"`);
}

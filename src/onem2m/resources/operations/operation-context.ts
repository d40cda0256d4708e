import type { Logger } from '../../../core/logger.js';
import type { AdapterRegistry } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import type { AccessPolicy } from '../../access-control.js';
import type { RequestPrimitive } from '../../../core/primitives.js';
import type { ResourceTree } from '../resource-tree.js';
import type { MappingService } from '../../../mappings/types.js';

/** What every operation handler works with. */
export interface OperationContext {
  tree: ResourceTree;
  adapters: AdapterRegistry;
  /** The status tables that turn device reports into RSCs (one snapshot per request). */
  mappings: Pick<MappingService, 'current'>;
  access: AccessPolicy;
  logger: Logger;
}

/** Resources under `<node>`s the originator may not touch are invisible to it (children lists, discovery). */
export function visibleTo(ctx: OperationContext, req: RequestPrimitive): (resource: StoredResource) => boolean {
  return (resource) => {
    const nodeName = ctx.tree.nodeNameOf(resource);
    return nodeName === undefined || ctx.access.allowsNode(req.fr, nodeName);
  };
}

import type { Logger } from '../../../core/logger.js';
import { RESOURCE_TYPE } from '../../../core/attribute-dictionary.js';
import type { AdapterRegistry } from '../../../core/device-adapter.js';
import type { StoredResource } from '../../../store/store.js';
import type { AccessPolicy } from '../../access-control.js';
import type { RequestPrimitive } from '../../../core/primitives.js';
import type { ResourceTree } from '../resource-tree.js';
import type { MappingService } from '../../../mappings/types.js';
import type { DeviceWork } from '../../pending/device-work.js';

/** What every operation handler works with. */
export interface OperationContext {
  tree: ResourceTree;
  adapters: AdapterRegistry;
  /** The status tables that turn device reports into RSCs (one snapshot per request). */
  mappings: Pick<MappingService, 'current'>;
  access: AccessPolicy;
  logger: Logger;
  /** How this request reaches devices (its pending operation). */
  work: DeviceWork;
  /** Discovery page sizes: without `lim`, and at most (DISCOVERY_DEFAULT_LIMIT, DISCOVERY_MAX_LIMIT). */
  discovery: { defaultLimit: number; maxLimit: number };
  /** Deleting a `<request>` withdraws its operation. */
  requests: { withdraw(requestRi: string): Promise<void> };
}

/** Whether the originator may see and delete a `<request>`: its own, or any with admin rights. */
export function ownsRequest(ctx: Pick<OperationContext, 'access'>, req: RequestPrimitive, request: StoredResource): boolean {
  return request.attrs.org === req.fr || ctx.access.deniedReason(req.fr, 'admin') === undefined;
}

/** Resources under `<node>`s the originator may not touch, and others' `<request>`s, are invisible to it (children lists, discovery). */
export function visibleTo(ctx: OperationContext, req: RequestPrimitive): (resource: StoredResource) => boolean {
  const inVisibleNode = inNodeVisibleTo(ctx, req);
  return (resource) => (resource.ty === RESOURCE_TYPE.request ? ownsRequest(ctx, req, resource) : inVisibleNode(resource));
}

/** visibleTo for anything but a `<request>` (whose owner is in its attributes): by the `<node>` it sits in. */
export function inNodeVisibleTo(ctx: OperationContext, req: RequestPrimitive): (resource: Pick<StoredResource, 'ty' | 'path'>) => boolean {
  return (resource) => {
    const nodeName = ctx.tree.nodeNameOf(resource);
    return nodeName === undefined || ctx.access.allowsNode(req.fr, nodeName);
  };
}

import type { CoreDeps } from '../core/core-deps.js';
import type { AdapterRegistry } from '../core/device-adapter.js';
import { errorResponse, Operation, type RequestHandler, type RequestPrimitive, type ResponsePrimitive } from '../core/primitives.js';
import { RSC } from '../core/rsc.js';
import type { ResourceTree } from './resources/resource-tree.js';
import type { AccessOperation, AccessPolicy } from './access-control.js';
import type { MappingService } from '../mappings/types.js';
import { RequestError } from '../core/request-error.js';
import type { OperationContext } from './resources/operations/operation-context.js';
import { create } from './resources/operations/create.js';
import { retrieve } from './resources/operations/retrieve.js';
import { update } from './resources/operations/update.js';
import { remove } from './resources/operations/delete.js';

function accessOperation(req: RequestPrimitive): AccessOperation {
  switch (req.op) {
    case Operation.Create: return 'create';
    case Operation.Retrieve: return req.fc?.fu === 1 ? 'discover' : 'retrieve';
    case Operation.Update: return 'update';
    case Operation.Delete: return 'delete';
    case Operation.Notify: return 'notify';
    default: throw new RequestError(RSC.BAD_REQUEST, `unknown operation op=${String(req.op)}`);
  }
}

async function dispatch(ctx: OperationContext, req: RequestPrimitive): Promise<ResponsePrimitive> {
  const operation = accessOperation(req);
  const denied = ctx.access.deniedReason(req.fr, operation);
  if (denied) throw new RequestError(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, denied);
  const target = await ctx.tree.resolve(req.to);
  const nodeName = ctx.tree.nodeNameOf(target);
  if (nodeName !== undefined && !ctx.access.allowsNode(req.fr, nodeName)) {
    throw new RequestError(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, `originator "${req.fr}" may not access node "${nodeName}"`);
  }
  switch (req.op) {
    case Operation.Create: return create(ctx, req, target);
    case Operation.Retrieve: return retrieve(ctx, req, target);
    case Operation.Update: return update(ctx, req, target);
    case Operation.Delete: return remove(ctx, req, target);
    default:
      // The proxy holds no subscriptions, so no resource here is the target of a notification.
      throw new RequestError(RSC.OPERATION_NOT_ALLOWED, `"${req.to}" does not accept notifications: this CSE holds no subscriptions`);
  }
}

/** Everything behind the binding: access check, target resolution, then the operation on the tree (and the device, for mgmtObjs). */
export function createDispatcher(deps: CoreDeps & { tree: ResourceTree; adapters: AdapterRegistry; mappings: Pick<MappingService, 'current'>; access: AccessPolicy }): RequestHandler {
  const ctx: OperationContext = { tree: deps.tree, adapters: deps.adapters, mappings: deps.mappings, access: deps.access, logger: deps.logger };
  return {
    async handle(req) {
      try {
        return await dispatch(ctx, req);
      } catch (error) {
        if (error instanceof RequestError) return errorResponse(error.rsc, req.rqi, error.dbg);
        deps.logger.error({ err: error, rqi: req.rqi, op: req.op, to: req.to }, 'request failed inside the proxy');
        return errorResponse(RSC.INTERNAL_SERVER_ERROR, req.rqi, `internal error: ${(error as Error)?.message ?? String(error)}`);
      }
    },
  };
}

import type { CoreDeps } from '../core/core-deps.js';
import type { AdapterRegistry } from '../core/device-adapter.js';
import { errorResponse, Operation, type RequestHandler, type RequestPrimitive, type ResponsePrimitive } from '../core/primitives.js';
import { RSC } from '../core/rsc.js';
import type { ResourceTree } from './resources/resource-tree.js';
import type { AccessOperation, AccessPolicy } from './access-control.js';
import type { MappingService } from '../mappings/types.js';
import { RequestError } from '../core/request-error.js';
import { ownsRequest, type OperationContext } from './resources/operations/operation-context.js';
import type { StoredResource } from '../store/resource-store.js';
import type { PendingOperationStore } from '../store/pending-operation-store.js';
import type { Logger } from '../core/logger.js';
import { spRelativeCseId } from '../core/config.js';
import { RESOURCE_TYPE } from '../core/attribute-dictionary.js';
import { PendingOperations, type ResultSender } from './pending/pending-operations.js';
import { ResultDelivery } from './notifications/result-delivery.js';
import { create } from './resources/operations/create.js';
import { retrieve } from './resources/operations/retrieve.js';
import { update } from './resources/operations/update.js';
import { remove } from './resources/operations/delete.js';
import { refuseEarlyExecutionWithoutDevice } from './resources/operations/mgmt-obj-serving.js';

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

/** The checks every request passes before its operation runs: the originator's rights and the target. */
async function checkAccess(ctx: Pick<OperationContext, 'tree' | 'access'>, req: RequestPrimitive): Promise<StoredResource> {
  const operation = accessOperation(req);
  const denied = ctx.access.deniedReason(req.fr, operation);
  if (denied) throw new RequestError(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, denied);
  const target = await ctx.tree.resolve(req.to);
  const nodeName = ctx.tree.nodeNameOf(target);
  if (nodeName !== undefined && !ctx.access.allowsNode(req.fr, nodeName)) {
    throw new RequestError(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, `originator "${req.fr}" may not access node "${nodeName}"`);
  }
  if (target.ty === RESOURCE_TYPE.request && !ownsRequest(ctx, req, target)) {
    throw new RequestError(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, `"${req.to}" is another originator's <request>`);
  }
  return target;
}

/**
 * Marks a request the proxy sends itself (a staged value applied): no access check, as no originator outside asked.
 * A symbol key: no decoded HTTP request can carry it, and it survives the copies the pending operations make.
 */
const PROXY_ORIGINATED = Symbol('proxy-originated request');
type ProxyRequest = RequestPrimitive & { [PROXY_ORIGINATED]?: true };

async function dispatch(ctx: OperationContext, req: ProxyRequest): Promise<ResponsePrimitive> {
  const target = req[PROXY_ORIGINATED] ? await ctx.tree.resolve(req.to) : await checkAccess(ctx, req);
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

/** Response types served (TS-0004 Table 6.3.4.2.6-1): 5 (noResponse) is for 3GPP interworking only. */
const SERVED_RESPONSE_TYPES = new Set([1, 2, 3, 4]);

function checkResponseType(req: RequestPrimitive): void {
  const rtv = req.rt?.rtv;
  if (rtv !== undefined && !SERVED_RESPONSE_TYPES.has(rtv)) {
    throw new RequestError(RSC.BAD_REQUEST, `rt=${rtv} is not served: use 1 (nonBlockingRequestSynch), 2 (nonBlockingRequestAsynch), 3 (blocking) or 4 (flexBlocking)`);
  }
}

/**
 * What a non-blocking request keeps must be keepable: its content as JSON (nothing nested too deep), its result until a
 * Result Expiration Timestamp that is still ahead and not before the request's own expiration.
 */
function checkStorable(req: RequestPrimitive): void {
  const rst = req.resultExpiresAt;
  if (rst !== undefined && (rst <= Date.now() || (req.rqet !== undefined && rst < req.deadline))) {
    throw new RequestError(RSC.BAD_REQUEST, `X-M2M-RST "${req.rset}" lies in the past or before the request's expiration (X-M2M-RET): no result could be kept`);
  }
  try {
    JSON.stringify(req.pc);
  } catch (error) {
    throw new RequestError(RSC.BAD_REQUEST, `content cannot be kept for a non-blocking request: ${(error as Error).message}`);
  }
}

function toErrorResponse(error: unknown, req: RequestPrimitive, logger: Logger): ResponsePrimitive {
  if (error instanceof RequestError) return errorResponse(error.rsc, req.rqi, error.dbg);
  logger.error({ err: error, rqi: req.rqi, op: req.op, to: req.to }, 'request failed inside the proxy');
  return errorResponse(RSC.INTERNAL_SERVER_ERROR, req.rqi, `internal error: ${(error as Error)?.message ?? String(error)}`);
}

export interface Dispatcher extends RequestHandler {
  /** The operations that complete later: resume them after start, close them before the device modules. */
  readonly pending: PendingOperations;
  /** A blocking request the proxy itself sends (originator: its own CSE-ID): served like any other, without access checks. */
  handleOwn(req: RequestPrimitive): Promise<ResponsePrimitive>;
}

export interface DispatcherDeps extends CoreDeps {
  tree: ResourceTree;
  adapters: AdapterRegistry;
  mappings: Pick<MappingService, 'current'>;
  access: AccessPolicy;
  store: PendingOperationStore;
  /** Where rt=2 results go; default: HTTP Notify with NOTIFY_RETRIES / NOTIFY_BACKOFF_MS. */
  sender?: ResultSender;
}

/** Longest wait for a notification receiver's answer, per attempt. */
const NOTIFY_ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Everything behind the binding: the response type, access check, target resolution, then the operation on the tree (and
 * the device, for mgmtObjs) as a pending operation. A non-blocking request is checked for access and target before its
 * `<request>` is created; what its operation answers then goes to the `<request>`.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { logger } = deps;
  const sender = deps.sender ?? new ResultDelivery({
    originator: spRelativeCseId(deps.config.cseId),
    retries: deps.config.notifyRetries,
    backoffMs: deps.config.notifyBackoffMs,
    attemptTimeoutMs: NOTIFY_ATTEMPT_TIMEOUT_MS,
    logger,
    metrics: deps.metrics,
  });
  const pending = new PendingOperations({ ...deps, sender });
  const discovery = { defaultLimit: deps.config.discoveryDefaultLimit, maxLimit: deps.config.discoveryMaxLimit };
  const base = { tree: deps.tree, adapters: deps.adapters, mappings: deps.mappings, access: deps.access, logger, requests: pending, discovery };
  pending.setRunner(async (work, req) => {
    try {
      return await dispatch({ ...base, work }, req);
    } catch (error) {
      return toErrorResponse(error, req, logger);
    }
  });
  return {
    pending,
    async handleOwn(req) {
      const own: ProxyRequest = { ...req, rt: undefined, [PROXY_ORIGINATED]: true };
      try {
        return await pending.handle(own);
      } catch (error) {
        return toErrorResponse(error, req, logger);
      }
    },
    async handle(req) {
      try {
        checkResponseType(req);
        if (req.rt !== undefined && req.rt.rtv !== 3) {
          await refuseEarlyExecutionWithoutDevice(base, req, await checkAccess(base, req));
          checkStorable(req);
        }
        return await pending.handle(req);
      } catch (error) {
        return toErrorResponse(error, req, logger);
      }
    },
  };
}

import type { DeviceCallContext } from '../../../core/device-adapter.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import type { RepositoryData } from '../repository/index.js';

/**
 * Offers MO data for one HGET, usable until the call's deadline and the repository's time to live after it (the
 * command may wait in the queue until then). Throws RepositoryFullError.
 */
export function offerForCall(deps: Dm2OperationDeps, devId: string, data: RepositoryData, ctx: DeviceCallContext): string {
  return deps.repository.offer(devId, data, Math.max(0, ctx.deadline - Date.now()) + deps.repositoryTtlMs);
}

import type { MgmtObjRef } from '../../core/device-adapter.js';
import type { Logger } from '../../core/logger.js';
import type { ConverterRegistry, Lwm2mMgmtObjMapping, MappingSet } from '../../mappings/types.js';
import { RequestRefusedError } from './errors.js';
import type { InstanceLedger } from './instance-ledger.js';
import type { ManagementContext } from './management-context.js';
import type { ProgressFollower } from './progress-job.js';

/** What the four mgmtObj operations need besides the call itself. */
export interface OperationDeps {
  io: ManagementContext;
  converters: ConverterRegistry;
  logger: Logger;
  instances: InstanceLedger;
  /** Follows the work an Execute started when its attribute has `progress` (set once the adapter is built). */
  progress?: ProgressFollower;
}

/** The attribute table of a mgmtObj specialization, or the `unmapped` refusal. */
export function mappingOf(table: MappingSet, obj: MgmtObjRef): Lwm2mMgmtObjMapping {
  const mapping = table.lwm2mByMgmtObj(obj.type);
  if (!mapping) throw new RequestRefusedError('unmapped', `no LwM2M object is mapped to mgmtObj type "${obj.type}" (mappings/objects/lwm2m.yaml)`);
  return mapping;
}

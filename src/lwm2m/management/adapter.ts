import type { CoreDeps } from '../../core/core-deps.js';
import type { DeviceAdapter } from '../../core/device-adapter.js';
import type { DeviceDirectory } from '../../core/device-directory.js';
import { converterRegistry } from '../../mappings/converters.js';
import type { MappingService } from '../../mappings/types.js';
import type { Lwm2mDownlink } from '../downlink.js';
import { resourceModel, resourceType } from '../objects/registry.js';
import { createMgmtObj } from './create.js';
import { deleteMgmtObj } from './delete.js';
import { DeviceChannel } from './device-channel.js';
import { createDownlinkMetrics } from './downlink-metrics.js';
import { EndpointQueues } from './endpoint-queue.js';
import { NotRegisteredError } from './errors.js';
import { FormatPreferences } from './format-negotiation.js';
import { InstanceLedger } from './instance-ledger.js';
import type { OperationDeps } from './operation-deps.js';
import { registerQueuedRequestsGauge } from './queue-metrics.js';
import { AwakeTracker } from './queue-mode.js';
import { retrieveMgmtObj, retrieveMgmtObjs } from './retrieve.js';
import { updateMgmtObj } from './update.js';

export interface Lwm2mAdapterDeps extends CoreDeps {
  downlink: Lwm2mDownlink;
  mappings: MappingService;
  directory: DeviceDirectory;
  /** How long a queue-mode device stays reachable after its last message (ms). */
  queueModeAwakeMs: number;
}

/** The LwM2M DeviceAdapter: mgmtObj operations → LwM2M Read/Write/Execute/Create/Delete. */
export function createLwm2mAdapter(deps: Lwm2mAdapterDeps): DeviceAdapter {
  const { downlink } = deps;
  const awake = new AwakeTracker((endpoint) => downlink.lookup(endpoint), deps.queueModeAwakeMs);
  const queues = new EndpointQueues(awake);
  registerQueuedRequestsGauge(deps.metrics, () => queues.totalWaiting());
  const formats = new FormatPreferences();
  const instances = new InstanceLedger();

  downlink.onAwake((endpoint) => {
    awake.markAwake(endpoint);
    queues.wake(endpoint);
  });
  downlink.onRegistrationChange((endpoint, kind) => {
    if (kind === 'update') return;
    formats.forget(endpoint);
    instances.forget(endpoint);
    if (kind === 'register') return;
    awake.forget(endpoint);
    queues.rejectWaiting(endpoint, new NotRegisteredError(`endpoint "${endpoint}" ${kind === 'expire' ? 'registration expired' : 'de-registered'}`));
  });

  const operations: OperationDeps = {
    io: {
      channel: new DeviceChannel(downlink, queues, createDownlinkMetrics(deps.metrics, deps.logger)),
      formats,
      types: resourceType,
      isMultipleResource: (objectId, resourceId) => resourceModel(objectId, resourceId)?.multiple ?? false,
    },
    converters: converterRegistry,
    directory: deps.directory,
    logger: deps.logger,
    instances,
  };
  // One table snapshot per request, so a hot reload never mixes two versions in one answer.
  const table = () => deps.mappings.current();

  return {
    protocol: 'lwm2m',
    retrieve: (device, obj, attributes, ctx) => retrieveMgmtObj(operations, table(), device, obj, attributes, ctx),
    retrieveAll: (device, objs, ctx) => retrieveMgmtObjs(operations, table(), device, objs, ctx),
    update: (device, obj, changes, ctx) => updateMgmtObj(operations, table(), device, obj, changes, ctx),
    create: (device, obj, ctx) => createMgmtObj(operations, table(), device, obj, ctx),
    delete: (device, obj, ctx) => deleteMgmtObj(operations, table(), device, obj, ctx),
    // replaced by the progress tracker (firmware / software observation)
    resume: async () => ({ technology: 'lwm2m', operation: 'execute', code: 'timeout', detail: '(progress tracking after a restart is not built yet)' }),
  };
}

import type { CoreDeps } from '../../core/core-deps.js';
import type { DeviceAdapter } from '../../core/device-adapter.js';
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
import { createObserveMetrics } from './observe-metrics.js';
import { parseProgressJob } from './progress-job.js';
import { ProgressTracker } from './progress-tracker.js';
import { RegistrationEvents } from './registration-events.js';
import { retrieveMgmtObj, retrieveMgmtObjs } from './retrieve.js';
import { updateMgmtObj } from './update.js';

export interface Lwm2mAdapterDeps extends CoreDeps {
  downlink: Lwm2mDownlink;
  mappings: MappingService;
  /** How long a queue-mode device stays reachable after its last message (ms). */
  queueModeAwakeMs: number;
  /** Write-Attributes pmin / pmax (seconds) on what is observed while an update runs. */
  observePminS: number;
  observePmaxS: number;
}

/** The LwM2M DeviceAdapter: mgmtObj operations → LwM2M Read/Write/Execute/Create/Delete. */
export function createLwm2mAdapter(deps: Lwm2mAdapterDeps): DeviceAdapter {
  const { downlink } = deps;
  const awake = new AwakeTracker((endpoint) => downlink.lookup(endpoint), deps.queueModeAwakeMs);
  const queues = new EndpointQueues(awake);
  registerQueuedRequestsGauge(deps.metrics, () => queues.totalWaiting());
  const formats = new FormatPreferences();
  const instances = new InstanceLedger();
  const registrationEvents = new RegistrationEvents();

  downlink.onAwake((endpoint) => {
    awake.markAwake(endpoint);
    queues.wake(endpoint);
  });
  downlink.onRegistrationChange((endpoint, kind) => {
    registrationEvents.emit(endpoint, kind);
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
    logger: deps.logger,
    instances,
  };
  operations.progress = new ProgressTracker({
    operations,
    events: registrationEvents,
    metrics: createObserveMetrics(deps.metrics, deps.logger),
    periods: { pmin: deps.observePminS, pmax: deps.observePmaxS },
    lookup: (endpoint) => downlink.lookup(endpoint),
  });
  const progress = operations.progress;
  // One table snapshot per request, so a hot reload never mixes two versions in one answer.
  const table = () => deps.mappings.current();

  return {
    protocol: 'lwm2m',
    serves: (type) => table().lwm2mByMgmtObj(type) !== undefined,
    retrieve: (device, obj, attributes, ctx) => retrieveMgmtObj(operations, table(), device, obj, attributes, ctx),
    retrieveAll: (device, objs, ctx) => retrieveMgmtObjs(operations, table(), device, objs, ctx),
    update: (device, obj, changes, ctx) => updateMgmtObj(operations, table(), device, obj, changes, ctx),
    create: (device, obj, ctx) => createMgmtObj(operations, table(), device, obj, ctx),
    delete: (device, obj, ctx) => deleteMgmtObj(operations, table(), device, obj, ctx),
    resume: async (device, obj, resume, ctx) => {
      const job = parseProgressJob(resume);
      if (!job) return { technology: 'lwm2m', operation: 'execute', code: 'unmapped', detail: `(the resume data is no LwM2M progress: ${JSON.stringify(resume)?.slice(0, 120)})` };
      return progress.follow(table(), device, obj, job, ctx);
    },
  };
}

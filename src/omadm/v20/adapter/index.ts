import { randomBytes } from 'node:crypto';
import type { DeviceAdapter } from '../../../core/device-adapter.js';
import { knownDeviceAdapter } from '../../common/known-device-adapter.js';
import type { Logger } from '../../../core/logger.js';
import { converterRegistry } from '../../../mappings/converters.js';
import type { MappingService } from '../../../mappings/types.js';
import { AsyncResults } from '../../common/async-results.js';
import type { SessionWaker } from '../../common/command-dispatch.js';
import type { Dm2Mo } from '../codec/index.js';
import type { DataRepository } from '../repository/index.js';
import type { Dm2CommandQueue, Dm2SessionEvents, QueuedDm2Command } from '../session/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { awaitAsyncExecs, parsePendingExecs, resultOfDm2Alert } from './async-execs.js';
import { createMgmtObj } from './create.js';
import { deleteMgmtObj } from './delete.js';
import { Dm2Dispatch } from './dm2-dispatch.js';
import { dm2Report } from './dm2-report.js';
import { GetUnsupportedDevices } from './get-support.js';
import { ReadCache } from './read-cache.js';
import { retrieveMgmtObjs } from './retrieve.js';
import { updateMgmtObj } from './update.js';

/** Devices whose package 1 MO list is remembered (the oldest go first; a forgotten one's next package 1 brings it back). */
const MAX_DEVICES_REMEMBERED = 100_000;

export interface Dm2AdapterDeps {
  queue: Dm2CommandQueue;
  repository: DataRepository;
  /** DM2_REPO_TTL_S in ms. */
  repositoryTtlMs: number;
  /** DM2_PATH. */
  dm2Path: string;
  mappings: MappingService;
  logger: Logger;
  /** Whether the DevId can authenticate as a DM 2.0 device (has DM 2.0 credentials): a device that cannot is answered at once. */
  knows(devId: string): Promise<boolean>;
  /** Wakes a device without a session open once its commands are queued (DM 2.0 package 0; none yet). */
  waker: SessionWaker;
  /** The commands the device's open session sent and awaits statuses for. */
  sentInSession(devId: string): Promise<readonly QueuedDm2Command[]>;
}

export interface Dm2Adapter {
  adapter: DeviceAdapter;
  /** What the DM 2.0 sessions report, for the adapter. */
  events: Dm2SessionEvents;
  /** Calls waiting for a device. */
  waiting(): number;
}

/**
 * The OMA DM 2.0 DeviceAdapter (protocol omadm20): Retrieve -> GET (with the last cache validator: 304 answers with
 * the last values; HPUT to the data repository for a device that cannot GET), Create and Update -> HGET of MO data
 * offered in the data repository, executable attributes -> EXEC with a report URI (202 now, the Generic Alert posted there later completes the call), Delete -> DELETE. The
 * device's status codes are reported for the core's table mappings/status/omadm20.yaml.
 */
export function createDm2Adapter(deps: Dm2AdapterDeps): Dm2Adapter {
  const dispatch = new Dm2Dispatch(deps.queue, deps.waker, deps.sentInSession, deps.logger);
  const asyncResults = new AsyncResults();
  const listed = new Map<string, Map<string, string[]>>();
  const operations: Dm2OperationDeps = {
    dispatch,
    asyncResults,
    repository: deps.repository,
    repositoryTtlMs: deps.repositoryTtlMs,
    dm2Path: deps.dm2Path,
    cache: new ReadCache(),
    getUnsupported: new GetUnsupportedDevices(),
    converters: converterRegistry,
    logger: deps.logger,
    table: () => deps.mappings.current(),
    miids: (devId, moid) => listed.get(devId)?.get(moid),
    token: () => randomBytes(18).toString('base64url'),
  };
  const remember = (devId: string, mos: readonly Dm2Mo[]): void => {
    listed.delete(devId);
    if (listed.size >= MAX_DEVICES_REMEMBERED) listed.delete(listed.keys().next().value as string);
    listed.set(devId, new Map(mos.map((mo) => [mo.moid, mo.miids])));
  };
  const adapter = knownDeviceAdapter(
    'omadm20',
    (type) => operations.table().omadmByMgmtObj(type) !== undefined,
    deps.knows,
    (operation, devId) => dm2Report(operation, 'not-registered', { detail: `(no OMA DM 2.0 device "${devId}" has credentials at this server)` }),
    {
      retrieve: (device, objs, ctx, named) => retrieveMgmtObjs(operations, device, objs, ctx, named),
      update: (device, obj, changes, ctx) => updateMgmtObj(operations, device, obj, changes, ctx),
      create: (device, obj, ctx) => createMgmtObj(operations, device, obj, ctx),
      delete: (device, obj, ctx) => deleteMgmtObj(operations, device, obj, ctx),
      resume: async (device, obj, resume, ctx) => {
        const pending = parsePendingExecs(resume);
        if (!pending) return dm2Report('execute', 'unmapped', { detail: `(the resume data is no pending DM 2.0 EXEC: ${JSON.stringify(resume)?.slice(0, 120)})` });
        return awaitAsyncExecs(operations, device, obj, pending, ctx);
      },
    },
  );
  const events: Dm2SessionEvents = {
    ...dispatch.sessionEvents((devId, alert, reportToken) => {
      if (reportToken !== undefined) return asyncResults.deliver(devId, reportToken, resultOfDm2Alert(alert));
      deps.logger.info({ devId, type: alert.alertType.slice(0, 80) }, 'DM 2.0 Generic Alert not posted to a report URI of this server (a device event)');
      return undefined;
    }),
    devicePublished: (devId, mos) => remember(devId, mos),
  };
  return { adapter, events, waiting: () => dispatch.waiting };
}

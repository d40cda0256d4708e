import { randomBytes } from 'node:crypto';
import type { DeviceAdapter } from '../../../core/device-adapter.js';
import { knownDeviceAdapter } from '../../common/known-device-adapter.js';
import type { DeviceDirectory } from '../../../core/device-directory.js';
import type { Logger } from '../../../core/logger.js';
import { converterRegistry } from '../../../mappings/converters.js';
import type { MappingService } from '../../../mappings/types.js';
import type { DmCommandQueue, QueuedDmCommand } from '../session/command-queue.js';
import type { DmSessionEvents } from '../session/session-events.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { awaitAsyncExecs, parsePendingExecs } from './async-execs.js';
import { AsyncResults } from './async-results.js';
import { CommandDispatch } from './command-dispatch.js';
import type { DeviceWaker } from '../../common/trigger/device-waker.js';
import { createMgmtObj } from './create.js';
import { deleteMgmtObj } from './delete.js';
import { dmReport } from './dm-report.js';
import { retrieveMgmtObjs } from './retrieve.js';
import { SoftwareInventory } from './software-inventory.js';
import { updateMgmtObj } from './update.js';

export interface DmAdapterDeps {
  queue: DmCommandQueue;
  mappings: MappingService;
  logger: Logger;
  /** Whether the DevId can authenticate at all (has credentials): a device that cannot is answered at once. */
  knows(devId: string): Promise<boolean>;
  /** Wakes a device without a session open once its commands are queued (DM_TRIGGER). */
  waker: DeviceWaker;
  /** The commands the device's open session sent and awaits answers to. */
  sentInSession(devId: string): Promise<readonly QueuedDmCommand[]>;
  /** Where the devices' SCOMO components are published as software mgmtObjs. */
  directory: DeviceDirectory;
  /** How long a read of a device's SCOMO inventory waits for the device (ms). */
  inventoryTimeoutMs: number;
}

export interface DmAdapter {
  adapter: DeviceAdapter;
  /** What the sessions report, for the adapter. */
  events: DmSessionEvents;
  /** Calls waiting for a device. */
  waiting(): number;
}

/**
 * The OMA DM 1.2/1.3 DeviceAdapter: mgmtObj operations become DM commands queued for the device's next session
 * (Get, Replace, Exec, Add, Delete; Atomic or Sequence when a request needs several); the device's Status codes are
 * reported for the core's status tables.
 */
export function createDmAdapter(deps: DmAdapterDeps): DmAdapter {
  const dispatch = new CommandDispatch(deps.queue, deps.waker, deps.sentInSession, deps.logger);
  const asyncResults = new AsyncResults(deps.logger);
  const operations: DmOperationDeps = {
    dispatch,
    asyncResults,
    converters: converterRegistry,
    logger: deps.logger,
    table: () => deps.mappings.current(),
    correlator: () => randomBytes(9).toString('base64url'),
  };
  const adapter = knownDeviceAdapter(
    'omadm13',
    (type) => operations.table().omadmByMgmtObj(type) !== undefined,
    deps.knows,
    (operation, devId) => dmReport(operation, 'not-registered', { detail: `(no OMA DM device "${devId}" has credentials at this server)` }),
    {
      retrieve: (device, objs, ctx, named) => retrieveMgmtObjs(operations, device, objs, ctx, named),
      update: (device, obj, changes, ctx) => updateMgmtObj(operations, device, obj, changes, ctx),
      create: (device, obj, ctx) => createMgmtObj(operations, device, obj, ctx),
      delete: (device, obj, ctx) => deleteMgmtObj(operations, device, obj, ctx),
      resume: async (device, obj, resume, ctx) => {
        const pending = parsePendingExecs(resume);
        if (!pending) return dmReport('execute', 'unmapped', { detail: `(the resume data is no pending DM Exec: ${JSON.stringify(resume)?.slice(0, 120)})` });
        return awaitAsyncExecs(operations, device, obj, pending, ctx);
      },
    },
  );
  const inventory = new SoftwareInventory(operations, deps.directory, deps.inventoryTimeoutMs);
  const dispatched = dispatch.sessionEvents(asyncResults.onAlert);
  const events: DmSessionEvents = {
    ...dispatched,
    commandAnswered: (devId, entry, answer) => {
      void dispatched.commandAnswered(devId, entry, answer);
      return inventory.settling(devId, entry);
    },
    genericAlert: async (devId, alert) => {
      await Promise.all([dispatched.genericAlert(devId, alert), inventory.alerted(devId, alert)]);
    },
    devicePublished: (devId) => inventory.devicePublished(devId),
  };
  return { adapter, events, waiting: () => dispatch.waiting };
}

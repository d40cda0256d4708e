import type { CoreDeps } from '../core/core-deps.js';
import type { DeviceDirectory } from '../core/device-directory.js';
import { bindFailure } from '../core/startup-error.js';
import type { RunningModule, TechnologyModule } from '../core/technology-module.js';
import type { MappingService } from '../mappings/types.js';
import type { Store } from '../store/store.js';
import { createOmadmAdminRouter } from './admin/admin-router.js';
import { type DmRoute, openDmListener } from './dm-listener.js';
import { loadOmadmSettings, type OmadmSettings } from './settings.js';
import { DmCommandQueue, type QueuedDmCommand } from './v13/session/command-queue.js';
import type { DmSessionEvents } from './v13/session/session-events.js';
import { createDmAdapter } from './v13/adapter/index.js';
import { DeviceWaker } from './v13/trigger/device-waker.js';
import { NO_TRIGGER, webhookTrigger } from './v13/trigger/session-trigger.js';
import { SessionEngine } from './v13/session/session-engine.js';
import { DmSessionMetrics } from './v13/session/session-metrics.js';
import { DmSessionStore, type DmSessionRecord } from './v13/session/session-record.js';
import { createSyncmlEndpoint } from './v13/syncml-endpoint.js';

export interface OmadmDeps extends CoreDeps {
  store: Store;
  directory: DeviceDirectory;
  mappings: MappingService;
}

export interface RunningOmadm extends RunningModule {
  /** Per-device commands the DM 1.2/1.3 sessions deliver (the adapter's seam). */
  commandQueue: DmCommandQueue;
  /** Where answers to queued commands and Generic Alerts go: the DM adapter; tests replace it to listen themselves. */
  events: DmSessionEvents;
}

/** The OMA DM technology module: listener `omadm-http` on DM_PORT (HTTPS with DM_TLS_CERT/DM_TLS_KEY; DM_PATH: DM 1.2/1.3 SyncML), admin API `/admin/omadm`. */
export const omadmModule: TechnologyModule<OmadmDeps> = {
  name: 'omadm',
  loadSettings(env) {
    const settings = loadOmadmSettings(env);
    return (deps) => startOmadm(deps, settings);
  },
};

export async function startOmadm(deps: OmadmDeps, settings: OmadmSettings): Promise<RunningOmadm> {
  const { config, store } = deps;
  const logger = deps.logger.child({ part: 'omadm' });
  const idleMs = settings.sessionIdleS * 1000;
  const commandQueue = new DmCommandQueue(store.records<QueuedDmCommand[]>('omadm.command-queue'), settings.maxQueuedCommands);
  const dm13 = createDmAdapter({
    queue: commandQueue,
    mappings: deps.mappings,
    logger,
    knows: async (devId) => (await store.dmCredentials.describe(devId)) !== undefined,
    waker: new DeviceWaker(
      settings.trigger.kind === 'webhook' ? webhookTrigger(settings.trigger, store.dmCredentials, logger) : NO_TRIGGER,
      (devId) => engine.inSession(devId),
    ),
    sentInSession: (devId) => sessions.sentEntries(devId),
    directory: deps.directory,
    inventoryTimeoutMs: settings.inventoryTimeoutS * 1000,
  });
  const running = { events: dm13.events };
  // Forwarders, so whoever replaces `events` later receives what sessions report from then on.
  const events: DmSessionEvents = {
    commandsSent: (devId, entries) => running.events.commandsSent(devId, entries),
    commandAnswered: (devId, entry, answer) => running.events.commandAnswered(devId, entry, answer),
    commandLost: (devId, entry, reason) => running.events.commandLost(devId, entry, reason),
    commandsExpired: (devId, entries) => running.events.commandsExpired(devId, entries),
    stillWanted: (devId, entry) => running.events.stillWanted?.(devId, entry) ?? true,
    genericAlert: (devId, alert) => running.events.genericAlert(devId, alert),
    devicePublished: (devId) => running.events.devicePublished?.(devId),
  };
  const lostOnIdle = (record: DmSessionRecord): void => {
    metrics.sessionEnded(record, 'idle');
    for (const sent of record.sent) events.commandLost(record.devId, sent.entry, 'the session went idle');
  };
  const sessions = new DmSessionStore(store.records<DmSessionRecord>('omadm.session'), idleMs, lostOnIdle);
  const metrics = new DmSessionMetrics(deps.metrics, () => sessions.count());
  const engine = new SessionEngine({
    credentials: store.dmCredentials,
    enrolment: settings.enrolment,
    sessions,
    queue: commandQueue,
    events,
    metrics,
    directory: deps.directory,
    mappings: deps.mappings,
    logger,
    maxMsgSize: settings.bodyLimitBytes,
    maxObjSize: settings.maxObjSize,
    idleMs,
  });
  const v13 = createSyncmlEndpoint({ engine, logger, maxBytes: settings.bodyLimitBytes });
  const routes = new Map<string, DmRoute>([[settings.dmPath, (contentType, body, request) => v13(contentType, body, request)]]);
  const listener = await openDmListener({ host: config.host, port: settings.dmPort, routes, bodyLimitBytes: settings.bodyLimitBytes, maxConnections: settings.maxConnections, ...(settings.tls ? { tls: settings.tls } : {}), logger }).catch(
    (error: unknown) => {
      throw bindFailure('DM_PORT', config.host, settings.dmPort, error);
    },
  );
  // Sessions are forgotten within half an idle period of going idle; one timer for all of them.
  const sweeper = setInterval(() => {
    engine.sweepIdle().catch((error: unknown) => logger.warn({ err: error }, 'idle DM session sweep failed'));
  }, Math.max(1000, idleMs / 2));
  sweeper.unref();
  logger.info({ dmPort: listener.port, dmPath: settings.dmPath, tls: settings.tls !== undefined }, 'OMA DM server listening');

  return {
    adapters: [dm13.adapter],
    listeners: [{ name: 'omadm-http', protocol: 'tcp', host: config.host, port: listener.port }],
    adminRouter: createOmadmAdminRouter({ credentials: store.dmCredentials, queue: commandQueue, bodyLimitBytes: config.bodyLimitBytes, logger }),
    health: () => ({ ok: true, dmPath: settings.dmPath, tls: settings.tls !== undefined, waitingCalls: dm13.waiting() }),
    commandQueue,
    get events() {
      return running.events;
    },
    set events(value: DmSessionEvents) {
      running.events = value;
    },
    async close() {
      clearInterval(sweeper);
      await listener.close();
      await engine.idle();
    },
  };
}

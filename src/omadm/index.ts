import { createHmac, randomBytes } from 'node:crypto';
import type { CoreDeps } from '../core/core-deps.js';
import type { DeviceDirectory } from '../core/device-directory.js';
import { bindFailure } from '../core/startup-error.js';
import type { RunningModule, TechnologyModule } from '../core/technology-module.js';
import type { MappingService } from '../mappings/types.js';
import type { Store } from '../store/store.js';
import { createOmadmAdminRouter } from './admin/admin-router.js';
import { type DmHttpHandler, type DmRoute, openDmListener } from './dm-listener.js';
import { loadOmadmSettings, type OmadmSettings } from './settings.js';
import { DmCommandQueue, type QueuedDmCommand } from './v13/session/command-queue.js';
import type { DmSessionEvents } from './v13/session/session-events.js';
import { createDmAdapter } from './v13/adapter/index.js';
import { AuthFailureLimiter } from './common/auth-failures.js';
import { DeviceWaker } from './common/trigger/device-waker.js';
import { NO_TRIGGER } from './common/trigger/session-trigger.js';
import { webhookTrigger } from './v13/trigger/session-trigger.js';
import { SessionEngine } from './v13/session/session-engine.js';
import { DmSessionMetrics } from './v13/session/session-metrics.js';
import { DmSessionStore, type DmSessionRecord } from './v13/session/session-record.js';
import { createSyncmlEndpoint } from './v13/syncml-endpoint.js';
import { DigestNonces, Dm2Authenticator } from './v20/auth/index.js';
import { DEFAULT_DM2_LIMITS } from './v20/codec/index.js';
import { createDm2Adapter } from './v20/adapter/index.js';
import { DataRepository } from './v20/repository/index.js';
import {
  createDm2Endpoint, Dm2CommandQueue, type Dm2SessionEvents, Dm2SessionMetrics, type Dm2SessionRecord, Dm2SessionEngine, Dm2SessionStore, NO_DM2_EVENTS,
  type QueuedDm2Command,
} from './v20/session/index.js';
import { Dm2Waker, dm2WebhookTrigger } from './v20/trigger/index.js';

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
  /** DM 2.0: per-device commands the sessions deliver (the omadm20 adapter's seam). */
  dm2Queue: Dm2CommandQueue;
  /** DM 2.0: where statuses, lost commands and Generic Alerts go: the omadm20 adapter; tests replace it to listen themselves. */
  dm2Events: Dm2SessionEvents;
  /** DM 2.0: the data repository HGET pulls from and HPUT/HPOST push to. */
  dm2Repository: DataRepository;
  /** DM 2.0: whether the device is in a session now. */
  dm2InSession(devId: string): Promise<boolean>;
  /** DM 2.0: wakes a device with a package 0 through DM_TRIGGER (the omadm20 adapter's seam; see v20/trigger/index.ts). */
  dm2Waker: Dm2Waker;
}

/** The key DM 2.0 Digest nonces are signed with, kept in the store so nonces outlive a restart. */
async function digestKey(store: Store): Promise<Buffer> {
  const records = store.records<string>('omadm20.digest-key');
  const stored = await records.get('key');
  if (stored !== undefined) return Buffer.from(stored, 'base64');
  const key = randomBytes(32);
  await records.put('key', key.toString('base64'));
  return key;
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
  const routes = new Map<string, DmRoute>([[settings.dmPath, v13]]);

  const dm2Queue = new Dm2CommandQueue(store.records<QueuedDm2Command[]>('omadm20.command-queue'), settings.maxQueuedCommands);
  const dm2Repository = new DataRepository(`${settings.dm2Path}/repo`, {
    ttlMs: settings.dm2RepoTtlS * 1000,
    maxUploadBytes: settings.maxObjSize,
    maxHeldBytes: settings.dm2RepoMaxBytes,
    maxOpen: 10_000,
  });
  const dm20 = createDm2Adapter({
    queue: dm2Queue,
    repository: dm2Repository,
    repositoryTtlMs: settings.dm2RepoTtlS * 1000,
    dm2Path: settings.dm2Path,
    mappings: deps.mappings,
    logger,
    knows: async (devId) => (await store.dmCredentials.describe(devId))?.version === '2.0',
    // Package 0 through DM_TRIGGER (the waker is made below, with the engine it asks whether a session is open).
    waker: { wake: (devId) => dm2Waker.wake(devId), sessionOpened: (devId) => dm2Waker.sessionOpened(devId) },
    sentInSession: (devId) => dm2Sessions.sentEntries(devId),
  });
  const dm2Running = { events: dm20.events };
  const dm2Events: Dm2SessionEvents = {
    commandsSent: (devId, entries) => dm2Running.events.commandsSent(devId, entries),
    commandAnswered: (devId, entry, status) => dm2Running.events.commandAnswered(devId, entry, status),
    commandLost: (devId, entry, reason) => dm2Running.events.commandLost(devId, entry, reason),
    commandsExpired: (devId, entries) => dm2Running.events.commandsExpired(devId, entries),
    genericAlert: (devId, alert, reportToken) => dm2Running.events.genericAlert(devId, alert, reportToken),
    devicePublished: (devId, mos) => dm2Running.events.devicePublished?.(devId, mos),
  };
  const dm2Lost = (record: Dm2SessionRecord): void => {
    dm2Metrics.sessionEnded(record, 'idle');
    for (const entry of record.sent) dm2Events.commandLost(record.devId, entry, 'the session went idle');
  };
  const dm2Sessions = new Dm2SessionStore(store.records<Dm2SessionRecord>('omadm20.session'), idleMs, dm2Lost);
  const dm2Metrics = new Dm2SessionMetrics(deps.metrics, () => dm2Sessions.count());
  const dm2Waker = new Dm2Waker({
    trigger: settings.trigger.kind === 'webhook' ? dm2WebhookTrigger(settings.trigger, store.dmCredentials, logger) : undefined,
    sessionOpen: (devId) => dm2Engine.inSession(devId),
    logger,
    metrics: dm2Metrics,
  });
  const dm2Engine = new Dm2SessionEngine({
    sessions: dm2Sessions, queue: dm2Queue, events: dm2Events, directory: deps.directory, mappings: deps.mappings, logger, metrics: dm2Metrics,
    sessionOpened: (devId, alert) => dm2Waker.sessionOpened(devId, alert),
  });
  const key = await digestKey(store);
  const dm2 = createDm2Endpoint({
    path: settings.dm2Path,
    engine: dm2Engine,
    authenticator: new Dm2Authenticator(settings.serverId, new DigestNonces(key, settings.dm2NonceTtlS * 1000), createHmac('sha256', key).update('opaque').digest('base64url').slice(0, 22)),
    credentials: store.dmCredentials,
    repository: dm2Repository,
    limits: { ...DEFAULT_DM2_LIMITS, maxBytes: settings.bodyLimitBytes },
    failures: new AuthFailureLimiter(),
    metrics: dm2Metrics,
    logger,
  });
  const handlers = new Map<string, DmHttpHandler>([[settings.dm2Path, dm2]]);
  const listener = await openDmListener({ host: config.host, port: settings.dmPort, routes, handlers, bodyLimitBytes: settings.bodyLimitBytes, maxConnections: settings.maxConnections, ...(settings.tls ? { tls: settings.tls } : {}), logger }).catch(
    (error: unknown) => {
      throw bindFailure('DM_PORT', config.host, settings.dmPort, error);
    },
  );
  // Sessions are forgotten within half an idle period of going idle; one timer for all of them.
  const sweeper = setInterval(() => {
    engine.sweepIdle().catch((error: unknown) => logger.warn({ err: error }, 'idle DM session sweep failed'));
    dm2Engine.sweepIdle().catch((error: unknown) => logger.warn({ err: error }, 'idle DM 2.0 session sweep failed'));
  }, Math.max(1000, idleMs / 2));
  sweeper.unref();
  logger.info({ dmPort: listener.port, dmPath: settings.dmPath, dm2Path: settings.dm2Path, tls: settings.tls !== undefined }, 'OMA DM server listening');

  return {
    adapters: [dm13.adapter, dm20.adapter],
    listeners: [{ name: 'omadm-http', protocol: 'tcp', host: config.host, port: listener.port }],
    adminRouter: createOmadmAdminRouter({ credentials: store.dmCredentials, queue: { waiting: async (devId) => [...(await commandQueue.waiting(devId)), ...(await dm2Queue.waiting(devId))] }, bodyLimitBytes: config.bodyLimitBytes, logger }),
    health: () => ({ ok: true, dmPath: settings.dmPath, dm2Path: settings.dm2Path, tls: settings.tls !== undefined, waitingCalls: dm13.waiting() + dm20.waiting() }),
    commandQueue,
    dm2Queue,
    dm2Repository,
    dm2InSession: (devId) => dm2Engine.inSession(devId),
    dm2Waker,
    get dm2Events() {
      return dm2Running.events;
    },
    set dm2Events(value: Dm2SessionEvents) {
      dm2Running.events = value;
    },
    get events() {
      return running.events;
    },
    set events(value: DmSessionEvents) {
      running.events = value;
    },
    async close() {
      clearInterval(sweeper);
      await listener.close();
      dm2Repository.close();
      await engine.idle();
      await dm2Engine.idle();
    },
  };
}

import type { ParsedPacket } from 'coap-packet';
import type { CoreDeps } from '../core/core-deps.js';
import { bindFailure } from '../core/startup-error.js';
import type { Store } from '../store/store.js';
import type { DeviceDirectory } from '../core/device-directory.js';
import type { TechnologyModule, RunningModule } from '../core/technology-module.js';
import { converterRegistry } from '../mappings/converters.js';
import type { MappingService } from '../mappings/types.js';
import { createAdminRouter } from './admin/admin-router.js';
import { BootstrapConfigStore } from './bootstrap/bootstrap-config-store.js';
import { BootstrapFailureLog } from './bootstrap/bootstrap-failures.js';
import { handleBootstrapRequest } from './bootstrap/bootstrap-interface.js';
import type { Lwm2mDownlink } from './downlink.js';
import { KeyedQueue } from '../core/keyed-queue.js';
import { createLwm2mMetrics } from './lwm2m-metrics.js';
import { createLwm2mAdapter } from './management/adapter.js';
import { endpointPolicy } from './registration/endpoint-policy.js';
import { handleSendRequest } from './reporting/send-interface.js';
import { handleRegistrationRequest } from './registration/registration-interface.js';
import { coapUri } from './registration/registration.js';
import { RegistrationService } from './registration/registration-service.js';
import { createServerDownlink } from './server-downlink.js';
import { loadLwm2mSettings, type Lwm2mSettings } from './settings.js';
import { openCoapEndpoint, plainAddress, type CoapEndpoint } from './transport/coap-endpoint.js';
import { uriPath } from './transport/coap-options.js';

export interface Lwm2mDeps extends CoreDeps {
  store: Store;
  directory: DeviceDirectory;
  mappings: MappingService;
}

export interface RunningLwm2m extends RunningModule {
  /** The LwM2M Server's downlink (what the adapter uses), for tools and tests. */
  downlink: Lwm2mDownlink;
}

/** The LwM2M technology module: adapter `lwm2m`, listeners `lwm2m-server` and `lwm2m-bootstrap`, admin API `/admin/lwm2m`. */
export const lwm2mModule: TechnologyModule<Lwm2mDeps> = {
  name: 'lwm2m',
  loadSettings(env) {
    const settings = loadLwm2mSettings(env);
    return (deps) => startLwm2m(deps, settings);
  },
};

/** Starts the LwM2M Server (`COAP_PORT`) and Bootstrap Server (`BOOTSTRAP_PORT`). */
export async function startLwm2m(deps: Lwm2mDeps, settings: Lwm2mSettings): Promise<RunningLwm2m> {
  const { config, store } = deps;
  const logger = deps.logger.child({ part: 'lwm2m' });
  const metrics = createLwm2mMetrics(deps.metrics);
  const timing = { ackTimeoutMs: settings.coapAckTimeoutMs, maxRetransmit: settings.coapMaxRetransmit };

  const registrations = await RegistrationService.open({
    store,
    directory: deps.directory,
    mappings: deps.mappings,
    logger,
    metrics,
    graceSeconds: settings.registrationGraceSeconds,
  });
  const registrationDeps = {
    service: registrations,
    policy: endpointPolicy(settings.endpointAllow, settings.endpointDeny),
    supportedVersions: settings.versions,
    metrics,
  };
  const sendDeps = { registrations, mappings: deps.mappings, directory: deps.directory, converters: converterRegistry, metrics, logger };
  const server: CoapEndpoint = await openCoapEndpoint({
    listener: 'server',
    host: config.host,
    port: settings.coapPort,
    metrics,
    logger,
    duplicates: { maxEntries: settings.coapDedupEntries, maxAgeMs: settings.coapDedupMs },
    handle: async (request) => {
      const path = uriPath(request);
      const peer = { address: plainAddress(request.rsinfo.address), port: request.rsinfo.port };
      if (path[0] === 'rd') return handleRegistrationRequest(registrationDeps, request, path, peer);
      if (path[0] === 'dp') return handleSendRequest(sendDeps, request, path, peer);
      return { code: '4.04', diagnostic: `no resource /${path.join('/')}` };
    },
    onPacket: (packet, peer) => {
      if (!showsAwake(packet)) return;
      const endpoint = registrations.endpointAt(plainAddress(peer.address), peer.port);
      if (endpoint !== undefined) registrations.touch(endpoint);
    },
  }).catch(async (err: unknown) => {
    await registrations.close();
    throw bindFailure('COAP_PORT', config.host, settings.coapPort, err);
  });
  const downlink = createServerDownlink({ registrations, endpoint: server, timing, queueModeAwakeMs: settings.queueModeAwakeMs });

  const configs = new BootstrapConfigStore(store);
  const failures = new BootstrapFailureLog(store);
  const sessions = new KeyedQueue();
  const stopSessions = new AbortController();
  const bootstrap: CoapEndpoint = await openCoapEndpoint({
    listener: 'bootstrap',
    host: config.host,
    port: settings.bootstrapPort,
    metrics,
    logger,
    duplicates: { maxEntries: settings.coapDedupEntries, maxAgeMs: settings.coapDedupMs },
    handle: async (request) => {
      const address = plainAddress(request.rsinfo.address);
      const peer = { host: bootstrap.sendAddress(address), port: request.rsinfo.port, uri: coapUri(address, request.rsinfo.port) };
      return handleBootstrapRequest(bootstrapDeps, request, uriPath(request), peer);
    },
  }).catch(async (err: unknown) => {
    await server.close();
    await registrations.close();
    throw bindFailure('BOOTSTRAP_PORT', config.host, settings.bootstrapPort, err);
  });
  const bootstrapDeps = {
    configs,
    sessions,
    metrics,
    logger,
    session: { agent: bootstrap.agent, timing, logger, metrics, failures, signal: stopSessions.signal },
  };

  const adapter = createLwm2mAdapter({
    ...deps,
    logger,
    downlink,
    queueModeAwakeMs: settings.queueModeAwakeMs,
    observePminS: settings.observePminS,
    observePmaxS: settings.observePmaxS,
  });
  const adminRouter = createAdminRouter({
    registrations,
    configs,
    failures,
    graceSeconds: settings.registrationGraceSeconds,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
  });
  logger.info({ coapPort: server.port, bootstrapPort: bootstrap.port }, 'LwM2M Server and Bootstrap Server listening');

  return {
    adapters: [adapter],
    listeners: [
      { name: 'lwm2m-server', protocol: 'udp', host: config.host, port: server.port },
      { name: 'lwm2m-bootstrap', protocol: 'udp', host: config.host, port: bootstrap.port },
    ],
    adminRouter,
    health: () => ({ ok: true, registrations: registrations.count }),
    downlink,
    async close() {
      downlink.close();
      stopSessions.abort();
      await Promise.all([server.close(), bootstrap.close()]);
      await sessions.idle();
      await registrations.close();
    },
  };
}

/**
 * Any message shows its sender is awake, an answer to one of our requests too (so a queue-mode device that is answering
 * gets the next waiting request); registration requests are left out as they report that themselves once handled.
 */
function showsAwake(packet: ParsedPacket): boolean {
  const isRequest = packet.code.startsWith('0.') && packet.code !== '0.00';
  return !isRequest || packet.options.find((option) => option.name === 'Uri-Path')?.value.toString() !== 'rd';
}

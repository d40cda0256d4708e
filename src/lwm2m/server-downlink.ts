import type { CoapRequestSpec, CoapResult, DownlinkObservation, Lwm2mClientInfo, Lwm2mDownlink, ObserveResult } from './downlink.js';
import type { Registration } from './registration/registration.js';
import type { RegistrationService } from './registration/registration-service.js';
import type { CoapEndpoint } from './transport/coap-endpoint.js';
import { sendConfirmable, type CallLimits, type CoapTiming, type ConfirmableRequest } from './transport/confirmable-request.js';
import { observeConfirmable } from './transport/observe-request.js';

export interface ServerDownlinkDeps {
  registrations: RegistrationService;
  /** The LwM2M Server's socket: requests leave from the port the clients registered with. */
  endpoint: CoapEndpoint;
  timing: CoapTiming;
  queueModeAwakeMs: number;
}

export interface ServerDownlink extends Lwm2mDownlink {
  /** Cancels every request in flight and forgets every observation (shutdown). */
  close(): void;
}

function clientInfo(registration: Registration, queueModeAwakeMs: number): Lwm2mClientInfo {
  return {
    endpoint: registration.endpoint,
    registrationId: registration.id,
    address: registration.address,
    port: registration.port,
    version: registration.version,
    binding: registration.binding,
    queueMode: registration.queueMode,
    rootPath: registration.rootPath,
    ...(registration.preferredFormat === undefined ? {} : { preferredFormat: registration.preferredFormat }),
    objects: registration.objects,
    lastSeen: registration.lastSeen,
    online: !registration.queueMode || Date.now() - registration.lastSeen < queueModeAwakeMs,
  };
}

/** The Lwm2mDownlink the device-management adapter uses; per-endpoint ordering (NSTART) is the adapter's job. */
export function createServerDownlink(deps: ServerDownlinkDeps): ServerDownlink {
  const closing = new AbortController();
  const observations = new Set<DownlinkObservation>();
  // The latest Register/Update decides where the client is now.
  const addressed = (client: Lwm2mClientInfo, request: CoapRequestSpec): ConfirmableRequest => {
    const target = deps.registrations.get(client.endpoint) ?? client;
    return { ...request, host: deps.endpoint.sendAddress(target.address), port: target.port, rootPath: target.rootPath };
  };
  const limited = (options: { deadline: number; signal: AbortSignal }): CallLimits => ({
    deadline: options.deadline,
    signal: AbortSignal.any([options.signal, closing.signal]),
  });
  return {
    lookup(endpoint) {
      const registration = deps.registrations.get(endpoint);
      return registration && clientInfo(registration, deps.queueModeAwakeMs);
    },

    async send(client: Lwm2mClientInfo, request: CoapRequestSpec, options): Promise<CoapResult> {
      return sendConfirmable(deps.endpoint.agent, addressed(client, request), deps.timing, { ...options, closing: closing.signal });
    },

    async observe(client, request, options, onNotification): Promise<ObserveResult> {
      const answer = await observeConfirmable(deps.endpoint.agent, addressed(client, request), deps.timing, limited(options), onNotification);
      const observation = answer.observation;
      if (!observation) return answer;
      if (closing.signal.aborted) {
        observation.forget();
        const { observation: _dropped, ...result } = answer;
        return result;
      }
      observations.add(observation);
      const tracked: DownlinkObservation = {
        token: observation.token,
        forget() {
          observations.delete(observation);
          observation.forget();
        },
      };
      return { ...answer, observation: tracked };
    },

    onAwake(listener) {
      deps.registrations.onAwake(listener);
    },

    onRegistrationChange(listener) {
      deps.registrations.onChange(listener);
    },

    close() {
      closing.abort();
      for (const observation of observations) observation.forget();
      observations.clear();
    },
  };
}

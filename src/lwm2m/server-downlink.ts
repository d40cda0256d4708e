import type { CoapRequestSpec, CoapResult, Lwm2mClientInfo, Lwm2mDownlink } from './downlink.js';
import type { Registration } from './registration/registration.js';
import type { RegistrationService } from './registration/registration-service.js';
import type { CoapEndpoint } from './transport/coap-endpoint.js';
import { sendConfirmable, type CoapTiming } from './transport/confirmable-request.js';

export interface ServerDownlinkDeps {
  registrations: RegistrationService;
  /** The LwM2M Server's socket: requests leave from the port the clients registered with. */
  endpoint: CoapEndpoint;
  timing: CoapTiming;
  queueModeAwakeMs: number;
}

export interface ServerDownlink extends Lwm2mDownlink {
  /** Cancels every request in flight (shutdown). */
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
  return {
    lookup(endpoint) {
      const registration = deps.registrations.get(endpoint);
      return registration && clientInfo(registration, deps.queueModeAwakeMs);
    },

    async send(client: Lwm2mClientInfo, request: CoapRequestSpec, options): Promise<CoapResult> {
      // The latest Register/Update decides where the client is now.
      const target = deps.registrations.get(client.endpoint) ?? client;
      return sendConfirmable(
        deps.endpoint.agent,
        { ...request, host: deps.endpoint.sendAddress(target.address), port: target.port, rootPath: target.rootPath },
        deps.timing,
        { deadline: options.deadline, signal: AbortSignal.any([options.signal, closing.signal]) },
      );
    },

    onAwake(listener) {
      deps.registrations.onAwake(listener);
    },

    onRegistrationChange(listener) {
      deps.registrations.onChange(listener);
    },

    close() {
      closing.abort();
    },
  };
}

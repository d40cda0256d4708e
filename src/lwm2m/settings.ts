import { MAX_TIMER_DELAY_MS } from '../core/long-timer.js';
import { integer, list, milliseconds, patterns, port, raw } from '../core/setting-parsers.js';
import { invalidSetting } from '../core/startup-error.js';

/** The LwM2M module's own settings (README's configuration table). */
export interface Lwm2mSettings {
  /** UDP ports of the LwM2M Server and the Bootstrap Server. */
  coapPort: number;
  bootstrapPort: number;
  /** LwM2M versions the Server accepts. */
  versions: string[];
  /** Endpoint name policy; empty allow list = allow all. */
  endpointAllow: RegExp[];
  endpointDeny: RegExp[];
  /** Seconds a registration survives past its lifetime. */
  registrationGraceSeconds: number;
  /** CoAP ACK_TIMEOUT (ms) and MAX_RETRANSMIT for downlink requests. */
  coapAckTimeoutMs: number;
  coapMaxRetransmit: number;
  /** How long a queue-mode device stays reachable after its last message (ms). */
  queueModeAwakeMs: number;
  /** Write-Attributes pmin / pmax (seconds) set on the resources observed while a firmware or software update runs. */
  observePminS: number;
  observePmaxS: number;
  /** Answers kept to repeat for duplicate confirmable requests: how many at most, and how long (ms). */
  coapDedupEntries: number;
  coapDedupMs: number;
}

/** The LwM2M versions the proxy implements: what `LWM2M_VERSIONS` may list. */
export const LWM2M_VERSIONS: readonly string[] = ['1.0', '1.1', '1.2'];

function versions(env: NodeJS.ProcessEnv, name: string): string[] {
  const text = raw(env, name);
  if (text === undefined) return [...LWM2M_VERSIONS];
  const chosen = list(env, name);
  if (chosen.length === 0 || chosen.some((version) => !LWM2M_VERSIONS.includes(version))) {
    throw invalidSetting(name, text, `a comma-separated list of ${LWM2M_VERSIONS.join(', ')} (at least one)`);
  }
  return chosen;
}

/** Longest notification period a Write-Attributes may ask for: one day. */
const MAX_PERIOD_S = 86_400;

/**
 * pmin 1 s: a state change (an update that finished) is reported within a second, and a device that changes state often
 * notifies at most once a second. pmax 60 s: an update's State rarely changes, and a notification at least once a
 * minute shows the device is still there without waking it much more often than its registration updates do.
 */
function observeAttributes(env: NodeJS.ProcessEnv): { observePminS: number; observePmaxS: number } {
  const observePminS = integer(env, 'OBSERVE_PMIN_S', 1, 0, MAX_PERIOD_S);
  const observePmaxS = integer(env, 'OBSERVE_PMAX_S', 60, 1, MAX_PERIOD_S);
  if (observePmaxS < observePminS) throw invalidSetting('OBSERVE_PMAX_S', String(observePmaxS), `at least OBSERVE_PMIN_S (${observePminS})`);
  return { observePminS, observePmaxS };
}

/** Reads and checks every LwM2M setting; throws a StartupError naming the first bad one. */
export function loadLwm2mSettings(env: NodeJS.ProcessEnv): Lwm2mSettings {
  return {
    coapPort: port(env, 'COAP_PORT', 5683),
    bootstrapPort: port(env, 'BOOTSTRAP_PORT', 5685),
    versions: versions(env, 'LWM2M_VERSIONS'),
    endpointAllow: patterns(env, 'LWM2M_ENDPOINT_ALLOW'),
    endpointDeny: patterns(env, 'LWM2M_ENDPOINT_DENY'),
    registrationGraceSeconds: integer(env, 'REGISTRATION_GRACE_S', 30, 0, Math.floor(MAX_TIMER_DELAY_MS / 1000)),
    coapAckTimeoutMs: milliseconds(env, 'COAP_ACK_TIMEOUT_MS', 2000),
    // RFC 7252's default is 4; beyond 10 the exponential back-off outgrows any sensible wait.
    coapMaxRetransmit: integer(env, 'COAP_MAX_RETRANSMIT', 4, 0, 10),
    queueModeAwakeMs: milliseconds(env, 'QUEUE_MODE_AWAKE_MS', 93_000),
    ...observeAttributes(env),
    coapDedupEntries: integer(env, 'COAP_DEDUP_ENTRIES', 50_000, 0, 10_000_000),
    coapDedupMs: integer(env, 'COAP_DEDUP_S', 60, 1, 3600) * 1000,
  };
}

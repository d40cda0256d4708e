import { LOG_LEVELS } from './logger.js';
import { invalidSetting } from './startup-error.js';

/** Configuration from the environment; every default lets `npm start` run with no other service. */
export interface ProxyConfig {
  httpPort: number;
  /** Address every listener binds to. */
  host: string;
  cseId: string;
  cseName: string;
  coapPort: number;
  bootstrapPort: number;
  dmPort: number;
  dataDir: string;
  mappingsDir: string;
  statusProfile: string;
  upstreamCse?: string;
  upstreamPoa?: string;
  /** Path of a YAML/JSON file with originators and their rights; unset = embedded default (CAdmin, all rights). */
  accessFile?: string;
  logLevel: string;
  /** Device wait when the request carries no X-M2M-RET (ms). */
  defaultDeviceTimeoutMs: number;
  /** Largest accepted oneM2M request body (bytes). */
  bodyLimitBytes: number;
  /** LwM2M versions the Server accepts. */
  lwm2mVersions: string[];
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
}

/** The LwM2M versions the proxy implements: what `LWM2M_VERSIONS` may list. */
export const LWM2M_VERSIONS: readonly string[] = ['1.0', '1.1', '1.2'];
/** The longest delay a Node.js timer can hold (ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The setting's text; undefined when unset or empty (= the default). */
function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw invalidSetting(name, text, `an integer from ${min} to ${max}`);
  return value;
}

const port = (env: NodeJS.ProcessEnv, name: string, fallback: number) => integer(env, name, fallback, 0, 65535);
const milliseconds = (env: NodeJS.ProcessEnv, name: string, fallback: number) => integer(env, name, fallback, 1, MAX_TIMER_MS);

function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: readonly string[]): string {
  const text = raw(env, name) ?? fallback;
  if (!allowed.includes(text)) throw invalidSetting(name, text, `one of ${allowed.join(', ')}`);
  return text;
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function versions(env: NodeJS.ProcessEnv, name: string): string[] {
  const text = raw(env, name);
  if (text === undefined) return [...LWM2M_VERSIONS];
  const chosen = list(env, name);
  if (chosen.length === 0 || chosen.some((version) => !LWM2M_VERSIONS.includes(version))) {
    throw invalidSetting(name, text, `a comma-separated list of ${LWM2M_VERSIONS.join(', ')} (at least one)`);
  }
  return chosen;
}

function patterns(env: NodeJS.ProcessEnv, name: string): RegExp[] {
  return list(env, name).map((pattern) => {
    try {
      return new RegExp(pattern, 'u');
    } catch (error) {
      throw invalidSetting(name, pattern, `comma-separated regular expressions (${(error as Error).message})`);
    }
  });
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = raw(env, name);
  if (text !== undefined && !URL.canParse(text)) throw invalidSetting(name, text, 'an absolute URL such as http://host:8080/...');
  return text;
}

/** A oneM2M identifier: unreserved URI characters only (CSE_ID may start with "/"). */
function identifier(env: NodeJS.ProcessEnv, name: string, fallback: string, leadingSlash: boolean): string {
  const text = raw(env, name) ?? fallback;
  const shape = leadingSlash ? /^\/?[A-Za-z0-9._~:-]+$/ : /^[A-Za-z0-9._~:-]+$/;
  if (!shape.test(text)) throw invalidSetting(name, text, `letters, digits and . _ ~ : -${leadingSlash ? ', after an optional leading /' : ''}`);
  return text;
}

/** Reads and checks every setting; throws a StartupError naming the first bad one before anything is opened. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  return {
    httpPort: port(env, 'HTTP_PORT', 8080),
    host: raw(env, 'HOST') ?? '::',
    cseId: identifier(env, 'CSE_ID', 'id-proxy', true),
    cseName: identifier(env, 'CSE_NAME', 'proxy', false),
    coapPort: port(env, 'COAP_PORT', 5683),
    bootstrapPort: port(env, 'BOOTSTRAP_PORT', 5685),
    dmPort: port(env, 'DM_PORT', 8090),
    dataDir: raw(env, 'DATA_DIR') ?? './data',
    mappingsDir: raw(env, 'MAPPINGS_DIR') ?? './mappings',
    statusProfile: raw(env, 'STATUS_PROFILE') ?? 'default',
    upstreamCse: url(env, 'UPSTREAM_CSE'),
    upstreamPoa: url(env, 'UPSTREAM_POA'),
    accessFile: raw(env, 'ACCESS_FILE'),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    defaultDeviceTimeoutMs: milliseconds(env, 'DEVICE_TIMEOUT_MS', 30_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1, 2 ** 30),
    lwm2mVersions: versions(env, 'LWM2M_VERSIONS'),
    endpointAllow: patterns(env, 'LWM2M_ENDPOINT_ALLOW'),
    endpointDeny: patterns(env, 'LWM2M_ENDPOINT_DENY'),
    registrationGraceSeconds: integer(env, 'REGISTRATION_GRACE_S', 30, 0, Math.floor(MAX_TIMER_MS / 1000)),
    coapAckTimeoutMs: milliseconds(env, 'COAP_ACK_TIMEOUT_MS', 2000),
    // RFC 7252's default is 4; beyond 10 the exponential back-off outgrows any sensible wait.
    coapMaxRetransmit: integer(env, 'COAP_MAX_RETRANSMIT', 4, 0, 10),
    queueModeAwakeMs: milliseconds(env, 'QUEUE_MODE_AWAKE_MS', 93_000),
  };
}

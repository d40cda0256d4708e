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
  /** Endpoint name policy: regular expressions; empty allow list = allow all. */
  endpointAllow: string[];
  endpointDeny: string[];
  /** Seconds a registration survives past its lifetime. */
  registrationGraceSeconds: number;
  /** CoAP ACK_TIMEOUT (ms) and MAX_RETRANSMIT for downlink requests. */
  coapAckTimeoutMs: number;
  coapMaxRetransmit: number;
  /** How long a queue-mode device stays reachable after its last message (ms). */
  queueModeAwakeMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function list(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined) return fallback;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  return {
    httpPort: int(env, 'HTTP_PORT', 8080),
    host: env.HOST || '::',
    cseId: env.CSE_ID || 'id-proxy',
    cseName: env.CSE_NAME || 'proxy',
    coapPort: int(env, 'COAP_PORT', 5683),
    bootstrapPort: int(env, 'BOOTSTRAP_PORT', 5685),
    dmPort: int(env, 'DM_PORT', 8090),
    dataDir: env.DATA_DIR || './data',
    mappingsDir: env.MAPPINGS_DIR || './mappings',
    statusProfile: env.STATUS_PROFILE || 'default',
    upstreamCse: env.UPSTREAM_CSE || undefined,
    upstreamPoa: env.UPSTREAM_POA || undefined,
    accessFile: env.ACCESS_FILE || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    defaultDeviceTimeoutMs: int(env, 'DEVICE_TIMEOUT_MS', 30_000),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 256 * 1024),
    lwm2mVersions: list(env, 'LWM2M_VERSIONS', ['1.0', '1.1', '1.2']),
    endpointAllow: list(env, 'LWM2M_ENDPOINT_ALLOW', []),
    endpointDeny: list(env, 'LWM2M_ENDPOINT_DENY', []),
    registrationGraceSeconds: int(env, 'REGISTRATION_GRACE_S', 30),
    coapAckTimeoutMs: int(env, 'COAP_ACK_TIMEOUT_MS', 2000),
    coapMaxRetransmit: int(env, 'COAP_MAX_RETRANSMIT', 4),
    queueModeAwakeMs: int(env, 'QUEUE_MODE_AWAKE_MS', 93_000),
  };
}

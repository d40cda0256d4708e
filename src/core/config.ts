import { LOG_LEVELS } from './logger.js';
import { MAX_TIMER_DELAY_MS } from './long-timer.js';
import { integer, milliseconds, oneOf, port, raw, url } from './setting-parsers.js';
import { invalidSetting } from './startup-error.js';

/**
 * The core's configuration from the environment; every default lets `npm start` run with no other service.
 * Each technology module reads its own settings (TechnologyModule.loadSettings).
 */
export interface ProxyConfig {
  httpPort: number;
  /** Address every listener binds to. */
  host: string;
  cseId: string;
  cseName: string;
  /** M2M-SP-ID (an FQDN, without the `//`): absolute targets `//<spId>/<cseId>/...` are this CSE's, other SP-IDs are not served. */
  spId: string;
  dataDir: string;
  /** How long the store's first queued write waits for others to share its commit (ms); 0: the current event loop turn. */
  storeCommitWindowMs: number;
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
  /** Resources kept in memory for reads by ri and path (0: none). */
  resourceCacheEntries: number;
  /** How long a `<request>` resource (non-blocking request) is kept when the request sets no result expiration (s). */
  requestExpirationS: number;
  /** How long an rt=4 (flexBlocking) request is answered blocking before it continues as a non-blocking one (ms). */
  flexBlockingWaitMs: number;
  /** How long a device that accepted long work (a firmware update) may take to report its terminal state (s). */
  progressTimeoutS: number;
  /** How long, from a device's binding to its node, the writes of its staged values may take (s). */
  stagedApplyTimeoutS: number;
  /** Result notifications of non-blocking asynchronous requests: attempts after the first. */
  notifyRetries: number;
  /** First retry delay of a result notification (ms), doubled each retry up to NOTIFY_BACKOFF_CAP_MS. */
  notifyBackoffMs: number;
  /** Discovery results per answer when the request gives no `lim`. */
  discoveryDefaultLimit: number;
  /** Most discovery results in one answer, whatever `lim` asks; the rest is reached with `ofst`. */
  discoveryMaxLimit: number;
  /** expirationTime of a `<node>`/`<mgmtObj>` a CSE creates without `et`: this long after its creation (s). */
  defaultExpirationS: number;
  /** How often expired CSE-created resources are looked for and deleted (ms). */
  expirySweepIntervalMs: number;
}

/** Upper bound of DISCOVERY_MAX_LIMIT: one answer's addresses must stay a bounded amount of work and memory. */
export const DISCOVERY_LIMIT_CAP = 100_000;

/** Longest wait between two attempts of a result notification; also NOTIFY_BACKOFF_MS's upper bound. */
export const NOTIFY_BACKOFF_CAP_MS = 5 * 60_000;

/** Upper bound of DEFAULT_EXPIRATION_S: 100 years, so now + the default stays a four-digit-year timestamp. */
export const DEFAULT_EXPIRATION_CAP_S = 100 * 365 * 24 * 3600;

/** The SP-relative form of a CSE-ID (`/id-proxy`), whether CSE_ID was given with its slash or without. */
export function spRelativeCseId(cseId: string): string {
  return `/${cseId.replace(/^\//, '')}`;
}

/** A oneM2M identifier: unreserved URI characters only (CSE_ID may start with "/"). */
function identifier(env: NodeJS.ProcessEnv, name: string, fallback: string, leadingSlash: boolean): string {
  const text = raw(env, name) ?? fallback;
  const shape = leadingSlash ? /^\/?[A-Za-z0-9._~:-]+$/ : /^[A-Za-z0-9._~:-]+$/;
  if (!shape.test(text)) throw invalidSetting(name, text, `letters, digits and . _ ~ : -${leadingSlash ? ', after an optional leading /' : ''}`);
  return text;
}

/** An M2M-SP-ID: a domain name (TS-0001 §7.2), given without its `//` prefix. */
function fqdn(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = raw(env, name) ?? fallback;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(text)) {
    throw invalidSetting(name, text, 'a domain name: labels of letters, digits and -, separated by .');
  }
  return text;
}

/** Reads and checks every setting; throws a StartupError naming the first bad one before anything is opened. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const discoveryMaxLimit = integer(env, 'DISCOVERY_MAX_LIMIT', 10_000, 1, DISCOVERY_LIMIT_CAP);
  return {
    httpPort: port(env, 'HTTP_PORT', 8080),
    host: raw(env, 'HOST') ?? '::',
    cseId: identifier(env, 'CSE_ID', 'id-proxy', true),
    cseName: identifier(env, 'CSE_NAME', 'proxy', false),
    spId: fqdn(env, 'SP_ID', 'proxy.example'),
    dataDir: raw(env, 'DATA_DIR') ?? './data',
    storeCommitWindowMs: integer(env, 'STORE_COMMIT_WINDOW_MS', 0, 0, 1000),
    mappingsDir: raw(env, 'MAPPINGS_DIR') ?? './mappings',
    statusProfile: raw(env, 'STATUS_PROFILE') ?? 'default',
    upstreamCse: url(env, 'UPSTREAM_CSE'),
    upstreamPoa: url(env, 'UPSTREAM_POA'),
    accessFile: raw(env, 'ACCESS_FILE'),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    defaultDeviceTimeoutMs: milliseconds(env, 'DEVICE_TIMEOUT_MS', 30_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1, 2 ** 30),
    resourceCacheEntries: integer(env, 'RESOURCE_CACHE_ENTRIES', 10_000, 0, 10_000_000),
    requestExpirationS: integer(env, 'REQUEST_EXPIRATION_S', 3600, 1, MAX_TIMER_DELAY_MS / 1000),
    flexBlockingWaitMs: milliseconds(env, 'FLEX_BLOCKING_WAIT_MS', 5000),
    progressTimeoutS: integer(env, 'PROGRESS_TIMEOUT_S', 3600, 1, MAX_TIMER_DELAY_MS / 1000),
    stagedApplyTimeoutS: integer(env, 'STAGED_APPLY_TIMEOUT_S', 300, 1, MAX_TIMER_DELAY_MS / 1000),
    notifyRetries: integer(env, 'NOTIFY_RETRIES', 5, 0, 100),
    notifyBackoffMs: integer(env, 'NOTIFY_BACKOFF_MS', 1000, 1, NOTIFY_BACKOFF_CAP_MS),
    discoveryDefaultLimit: integer(env, 'DISCOVERY_DEFAULT_LIMIT', Math.min(1000, discoveryMaxLimit), 1, discoveryMaxLimit),
    discoveryMaxLimit,
    defaultExpirationS: integer(env, 'DEFAULT_EXPIRATION_S', 365 * 24 * 3600, 1, DEFAULT_EXPIRATION_CAP_S),
    expirySweepIntervalMs: integer(env, 'EXPIRY_SWEEP_INTERVAL_MS', 10_000, 100, 3_600_000),
  };
}

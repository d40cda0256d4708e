import { MAX_TIMER_DELAY_MS } from '../core/long-timer.js';
import { integer, oneOf, port, raw, url } from '../core/setting-parsers.js';
import { invalidSetting } from '../core/startup-error.js';
import { type EnrolmentRule, enrolmentRule } from './v13/auth/index.js';
import { DEFAULT_DECODE_LIMITS } from './v13/codec/index.js';
import { type DmTls, loadDmTls } from './tls-settings.js';
import { type TriggerSettings, UI_MODES, type UiMode } from './common/trigger/session-trigger.js';

/** The OMA DM module's own settings (README's configuration table). */
export interface OmadmSettings {
  /** TCP port of the device-facing HTTP listener (DM 1.2/1.3 now, DM 2.0 later). */
  dmPort: number;
  /** Path DM 1.2/1.3 devices post to. */
  dmPath: string;
  /** Path DM 2.0 devices post to; its data repository lives under `<dm2Path>/repo/`. */
  dm2Path: string;
  /** How long a DM 2.0 Digest nonce is good for (s): after it, the device is told `stale=true`. */
  dm2NonceTtlS: number;
  /** How long a DM 2.0 data repository URI stays usable (s). */
  dm2RepoTtlS: number;
  /** Bytes the DM 2.0 data repository holds at once (data offered for HGETs). */
  dm2RepoMaxBytes: number;
  /** A session with no message for this long is forgotten (s). */
  sessionIdleS: number;
  /** How long a read of a device's SCOMO inventory (its software mgmtObjs) waits for the device (s). */
  inventoryTimeoutS: number;
  /** The proxy's DM server id (the devices' DMAcc ServerID; the user name of the proxy's Cred). */
  serverId: string;
  /** Largest SyncML message accepted (bytes). */
  bodyLimitBytes: number;
  /** Largest object assembled from a device's chunks (bytes), announced as the server's MaxObjSize. */
  maxObjSize: number;
  /** Open connections the DM listener accepts at once; more are closed on arrival. */
  maxConnections: number;
  enrolment: EnrolmentRule;
  trigger: TriggerSettings;
  /** Commands one device's queue holds at most. */
  maxQueuedCommands: number;
  /** DM_TLS_CERT + DM_TLS_KEY: HTTPS on DM_PORT; undefined: plain HTTP. */
  tls: DmTls | undefined;
}

function path(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = raw(env, name) ?? fallback;
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(text) || text.includes('//')) throw invalidSetting(name, text, 'an absolute URL path such as /dm (letters, digits and . _ ~ - /)');
  return text;
}

function serverId(env: NodeJS.ProcessEnv): string {
  const text = raw(env, 'DM_SERVER_ID') ?? 'dm-proxy';
  if (text.length > 128 || /[\u0000-\u001f]/.test(text)) throw invalidSetting('DM_SERVER_ID', text, 'a name of at most 128 printable characters');
  return text;
}

function trigger(env: NodeJS.ProcessEnv): TriggerSettings {
  const kind = oneOf(env, 'DM_TRIGGER', 'none', ['none', 'webhook']);
  const target = url(env, 'DM_TRIGGER_URL');
  const timeoutMs = integer(env, 'DM_TRIGGER_TIMEOUT_MS', 5000, 100, 60_000);
  const uiMode = oneOf(env, 'DM_TRIGGER_UI_MODE', 'background', UI_MODES) as UiMode;
  if (kind === 'none') return { kind };
  if (target === undefined || !/^https?:/.test(target)) throw invalidSetting('DM_TRIGGER_URL', target ?? '', 'the http:// or https:// URL of the notification gateway, needed with DM_TRIGGER=webhook');
  return { kind: 'webhook', url: target, timeoutMs, uiMode };
}

/** DM2_PATH: neither DM_PATH itself nor a prefix of it (DM 2.0 owns everything below its path). */
function dm2Path(env: NodeJS.ProcessEnv, dmPath: string): string {
  const text = path(env, 'DM2_PATH', '/dm2');
  if (text === '/' || text === dmPath || dmPath.startsWith(`${text}/`)) throw invalidSetting('DM2_PATH', text, `a path other than DM_PATH (${dmPath}) and not above it`);
  return text;
}

/** Reads and checks every OMA DM setting; throws a StartupError naming the first bad one. */
export function loadOmadmSettings(env: NodeJS.ProcessEnv): OmadmSettings {
  const id = serverId(env);
  const dmPath = path(env, 'DM_PATH', '/dm');
  return {
    dmPort: port(env, 'DM_PORT', 8090),
    dmPath,
    dm2Path: dm2Path(env, dmPath),
    dm2NonceTtlS: integer(env, 'DM2_NONCE_TTL_S', 300, 1, 86_400),
    dm2RepoTtlS: integer(env, 'DM2_REPO_TTL_S', 600, 1, Math.floor(MAX_TIMER_DELAY_MS / 1000)),
    dm2RepoMaxBytes: integer(env, 'DM2_REPO_MAX_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    sessionIdleS: integer(env, 'DM_SESSION_IDLE_S', 300, 1, Math.floor(MAX_TIMER_DELAY_MS / 1000)),
    inventoryTimeoutS: integer(env, 'DM_INVENTORY_TIMEOUT_S', 300, 1, Math.floor(MAX_TIMER_DELAY_MS / 1000)),
    serverId: id,
    bodyLimitBytes: integer(env, 'DM_BODY_LIMIT_BYTES', DEFAULT_DECODE_LIMITS.maxBytes, 1024, 64 * 1024 * 1024),
    maxObjSize: integer(env, 'DM_MAX_OBJ_SIZE', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxConnections: integer(env, 'DM_MAX_CONNECTIONS', 1000, 1, 1_000_000),
    enrolment: enrolmentRule({ devIdPattern: raw(env, 'DM_ENROL_DEVID'), secret: raw(env, 'DM_ENROL_SECRET'), serverId: id }),
    trigger: trigger(env),
    maxQueuedCommands: integer(env, 'DM_MAX_QUEUED_COMMANDS', 100, 1, 100_000),
    tls: loadDmTls(env),
  };
}

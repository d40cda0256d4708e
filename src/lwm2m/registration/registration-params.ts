import { parseQuery, queryValue as text, type QueryParams } from '../query-params.js';
import { Lwm2mRequestError } from '../request-error.js';

/** Register / Update query parameters (LwM2M Core §6.2, seed 001 Table 6 and 8). */

export interface RegisterParams {
  endpoint: string;
  lifetime: number;
  version: string;
  binding: string;
  queueMode: boolean;
  sms?: string;
}

export type UpdateParams = Partial<Pick<RegisterParams, 'lifetime' | 'binding' | 'sms' | 'queueMode'>>;

export const DEFAULT_LIFETIME = 86400;
export const DEFAULT_VERSION = '1.0';
export const DEFAULT_BINDING = 'U';

export const MAX_ENDPOINT_LENGTH = 255;
const MAX_LIFETIME = 0xffffffff;
const BINDINGS_1_0 = new Set(['U', 'UQ', 'S', 'SQ', 'US', 'UQS']);

function bad(message: string): Lwm2mRequestError {
  return new Lwm2mRequestError('4.00', message);
}

export function parseVersion(version: string): { major: number; minor: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})$/.exec(version);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

function isAtLeast1_1(version: string): boolean {
  const parsed = parseVersion(version);
  return parsed !== undefined && (parsed.major > 1 || parsed.minor >= 1);
}

/**
 * Seed 001: refuse a client whose major version differs from ours or whose version is above the highest we support.
 * Our version is the highest configured one.
 */
function checkVersion(version: string, supported: readonly string[]): void {
  const client = parseVersion(version);
  if (!client) throw bad(`invalid lwm2m version "${version}"`);
  const ours = supported.map((v) => parseVersion(v)).filter((v) => v !== undefined);
  const highest = ours.reduce((a, b) => (b.major > a.major || (b.major === a.major && b.minor > a.minor) ? b : a), ours[0]);
  if (!highest || client.major !== highest.major || client.minor > highest.minor) {
    throw new Lwm2mRequestError('4.12', `lwm2m version ${version} is not supported (supported: ${supported.join(', ')})`);
  }
}

function checkBinding(binding: string, version: string): void {
  const valid = isAtLeast1_1(version)
    ? /^[USNT]+$/.test(binding) && new Set(binding).size === binding.length
    : BINDINGS_1_0.has(binding);
  if (!valid) throw bad(`invalid binding "${binding}" for LwM2M ${version}`);
}

function parseLifetime(raw: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIFETIME) throw bad(`invalid lifetime "${raw}"`);
  return Number(raw);
}

function parseSms(raw: string): string {
  if (!/^\+?\d{1,20}$/.test(raw)) throw bad(`invalid sms number "${raw}"`);
  return raw;
}

function parseQueueFlag(params: QueryParams, version: string): true | undefined {
  if (!params.has('Q')) return undefined;
  if (!isAtLeast1_1(version)) throw bad('parameter "Q" is not defined for LwM2M 1.0 (use b=UQ)');
  if (params.get('Q') !== true) throw bad('parameter "Q" takes no value');
  return true;
}

export function parseRegisterQuery(query: string[], supportedVersions: readonly string[]): RegisterParams {
  const params = parseQuery(query, ['ep', 'lt', 'lwm2m', 'b', 'sms', 'Q']);
  const endpoint = text(params, 'ep');
  if (!endpoint) throw bad('missing endpoint client name (ep)');
  if (endpoint.length > MAX_ENDPOINT_LENGTH) throw bad('endpoint client name too long');
  const version = text(params, 'lwm2m') ?? DEFAULT_VERSION;
  checkVersion(version, supportedVersions);
  const binding = text(params, 'b') ?? DEFAULT_BINDING;
  checkBinding(binding, version);
  const lifetime = text(params, 'lt');
  const sms = text(params, 'sms');
  const queueFlag = parseQueueFlag(params, version);
  return {
    endpoint,
    lifetime: lifetime === undefined ? DEFAULT_LIFETIME : parseLifetime(lifetime),
    version,
    binding,
    queueMode: queueFlag ?? binding.includes('Q'),
    ...(sms === undefined ? {} : { sms: parseSms(sms) }),
  };
}

/** Update carries only what changed; `version` is the one announced at Register. */
export function parseUpdateQuery(query: string[], version: string): UpdateParams {
  // lwm2m-node-lib repeats `lwm2m=` in its Updates: tolerated when it matches the registration.
  const params = parseQuery(query, ['lt', 'b', 'sms', 'Q', 'lwm2m']);
  const repeatedVersion = text(params, 'lwm2m');
  if (repeatedVersion !== undefined && repeatedVersion !== version) throw bad(`lwm2m version cannot change from ${version} in an Update; register again`);
  const update: UpdateParams = {};
  const lifetime = text(params, 'lt');
  if (lifetime !== undefined) update.lifetime = parseLifetime(lifetime);
  const binding = text(params, 'b');
  if (binding !== undefined) {
    checkBinding(binding, version);
    update.binding = binding;
    if (!isAtLeast1_1(version)) update.queueMode = binding.includes('Q');
  }
  const sms = text(params, 'sms');
  if (sms !== undefined) update.sms = parseSms(sms);
  if (parseQueueFlag(params, version)) update.queueMode = true;
  return update;
}

import type { AnyDmDeviceCredentials, Dm2DeviceCredentials, DmDeviceCredentials } from '../../store/dm-credential-store.js';

/** Longest user name, server id or secret the admin API takes (they travel in every Cred). */
const MAX_FIELD_LENGTH = 256;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(where: string, value: Record<string, unknown>, allowed: readonly string[], errors: string[]): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) errors.push(`${where}${key} is not a field (allowed: ${allowed.join(', ')})`);
}

function field(where: string, value: Record<string, unknown>, name: string, errors: string[]): string {
  const text = value[name];
  if (typeof text !== 'string' || text.length === 0) errors.push(`${where}${name} must be a non-empty string`);
  else if (text.length > MAX_FIELD_LENGTH) errors.push(`${where}${name} must be at most ${MAX_FIELD_LENGTH} characters`);
  else if (/[\u0000-\u001f\u007f]/.test(text)) errors.push(`${where}${name} must not contain control characters`);
  else return text;
  return '';
}

/** What is wrong with a DevId taken from the admin path (the same rules as the credential fields), if anything. */
export function devIdProblems(devId: string): string[] {
  const errors: string[] = [];
  field('', { DevId: devId }, 'DevId', errors);
  return errors;
}

/**
 * The body of PUT /admin/omadm/devices/<DevId>: DM 1.2/1.3 (`version` "1.3" or absent)
 * `{"auth": "basic"|"md5"|"hmac", "client": {"user", "secret"}, "server": {"id", "secret"}}`; DM 2.0
 * `{"version": "2.0", "auth": "basic"|"digest", "client": {"user", "secret"}, "server"?: {"id", "secret"}}` (HTTP
 * authentication; the proxy authenticates by TLS: the optional server part only signs package 0 to wake the device,
 * SERVER-ID and the device's Noti AuthSecret). Every problem listed.
 */
export function parseDeviceCredentials(body: unknown): { credentials: AnyDmDeviceCredentials } | { errors: string[] } {
  if (!isObject(body)) return { errors: ['the body must be a JSON object {"version"?, "auth", "client": {"user", "secret"}, "server"?: {"id", "secret"}}'] };
  if (body.version !== undefined && body.version !== '1.3' && body.version !== '2.0') return { errors: ['version must be "1.3" (DM 1.2/1.3, the default) or "2.0"'] };
  const errors: string[] = [];
  const part = (name: 'client' | 'server', fields: readonly [string, string]): Record<string, string> => {
    const value = body[name];
    if (!isObject(value)) {
      errors.push(`${name} must be an object {"${fields[0]}", "${fields[1]}"}`);
      return {};
    }
    unknownFields(`${name}.`, value, fields, errors);
    return Object.fromEntries(fields.map((key) => [key, field(`${name}.`, value, key, errors)]));
  };
  if (body.version === '2.0') {
    unknownFields('', body, ['version', 'auth', 'client', 'server'], errors);
    if (body.auth !== 'basic' && body.auth !== 'digest') errors.push('auth must be "basic" or "digest" for version 2.0 (HTTP authentication)');
    const client = part('client', ['user', 'secret']);
    const server = body.server === undefined ? undefined : part('server', ['id', 'secret']);
    if (errors.length > 0) return { errors };
    const credentials: Dm2DeviceCredentials = { version: '2.0', auth: body.auth as 'basic' | 'digest', client: { user: client.user, secret: client.secret } };
    return { credentials: server === undefined ? credentials : { ...credentials, server: { id: server.id, secret: server.secret } } };
  }
  unknownFields('', body, ['version', 'auth', 'client', 'server'], errors);
  if (body.auth !== 'basic' && body.auth !== 'md5' && body.auth !== 'hmac') errors.push('auth must be "basic", "md5" or "hmac"');
  const client = part('client', ['user', 'secret']);
  const server = part('server', ['id', 'secret']);
  if (errors.length > 0) return { errors };
  return {
    credentials: {
      auth: body.auth as DmDeviceCredentials['auth'],
      client: { user: client.user, secret: client.secret },
      server: { id: server.id, secret: server.secret },
    },
  };
}

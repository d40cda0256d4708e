import { Ajv, type ErrorObject } from 'ajv';

/** What the Bootstrap Server writes into a client: one LwM2M Server account (Security + Server instance). */
export interface BootstrapConfig {
  server: {
    uri: string;
    shortServerId: number;
    /** Seconds. */
    lifetime: number;
    binding: string;
  };
  security: { mode: 'nosec' } | { mode: 'psk'; identity: string; /** hex */ key: string };
  /** Bootstrap-Delete paths sent after `DELETE /`, e.g. `/2` or `/5/0`. */
  deletes: string[];
}

/** As stored: record kind `lwm2m.bootstrap-config`, key = the endpoint name or a `*` pattern. */
export interface StoredBootstrapConfig extends BootstrapConfig {
  endpoint: string;
  updatedAt: string;
}

export const BOOTSTRAP_CONFIG_RECORD = 'lwm2m.bootstrap-config';

const SECRET_MASK = '********';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['server', 'security'],
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      required: ['uri', 'shortServerId'],
      properties: {
        uri: { type: 'string', pattern: '^coaps?://[^\\s]+$', maxLength: 255 },
        shortServerId: { type: 'integer', minimum: 1, maximum: 65534 },
        lifetime: { type: 'integer', minimum: 1, maximum: 4294967295, default: 86400 },
        binding: { type: 'string', pattern: '^[USNTQ]{1,5}$', default: 'U' },
      },
    },
    security: {
      type: 'object',
      additionalProperties: false,
      required: ['mode'],
      properties: {
        mode: { enum: ['nosec', 'psk'] },
        identity: { type: 'string', minLength: 1, maxLength: 128 },
        key: { type: 'string', pattern: '^([0-9a-fA-F]{2}){1,64}$' },
      },
      if: { properties: { mode: { const: 'psk' } } },
      then: { required: ['identity', 'key'] },
      else: { not: { anyOf: [{ required: ['identity'] }, { required: ['key'] }] } },
    },
    deletes: {
      type: 'array',
      maxItems: 32,
      default: [],
      items: { type: 'string', pattern: '^/\\d{1,5}(/\\d{1,5})?$' },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, useDefaults: true }).compile<BootstrapConfig>(schema);

function describe(errors: ErrorObject[]): string[] {
  return errors.map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}

/** Validates (and fills defaults into) an admin request body; returns the errors when it is not a configuration. */
export function parseBootstrapConfig(body: unknown): { config: BootstrapConfig } | { errors: string[] } {
  const copy = structuredClone(body);
  if (!validate(copy)) return { errors: describe(validate.errors ?? []) };
  return { config: copy };
}

/** The configuration as the admin API shows it: secrets never leave the proxy. */
export function maskSecrets(config: StoredBootstrapConfig): StoredBootstrapConfig {
  return config.security.mode === 'psk' ? { ...config, security: { ...config.security, key: SECRET_MASK } } : config;
}

/** `*` in a configuration key matches any run of characters; every other character matches itself. */
export function isPattern(key: string): boolean {
  return key.includes('*');
}

export function patternMatches(pattern: string, endpoint: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'su').test(endpoint);
}

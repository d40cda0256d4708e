/** Which originators may do what, from `ACCESS_FILE` (YAML or JSON) or the embedded default (CAdmin, all rights). */
import fs from 'node:fs';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import type { ProxyConfig } from '../core/config.js';

/** oneM2M operations, plus `admin` for the operator API under `/admin` (registrations, bootstrap configurations and secrets). */
export type AccessOperation = 'create' | 'retrieve' | 'update' | 'delete' | 'notify' | 'discover' | 'admin';
export const ACCESS_OPERATIONS: readonly AccessOperation[] = ['create', 'retrieve', 'update', 'delete', 'notify', 'discover', 'admin'];

export interface AccessPolicy {
  /** Why the originator may not perform the operation at all; undefined when it may. */
  deniedReason(originator: string, operation: AccessOperation): string | undefined;
  /** Whether the originator may touch the `<node>` of that name (a rule without node patterns allows every node). */
  allowsNode(originator: string, nodeName: string): boolean;
  /** Whether allowsNode holds for the originator whatever the node's name (its rule has no node patterns). */
  allowsEveryNode(originator: string): boolean;
}

interface AccessDocument {
  originators: Array<{ id: string; operations: AccessOperation[]; nodes?: string[] }>;
}

interface OriginatorRule {
  operations: ReadonlySet<AccessOperation>;
  nodes?: readonly RegExp[];
}

const WILDCARD = '*';
const DEFAULT_DOCUMENT: AccessDocument = { originators: [{ id: 'CAdmin', operations: [...ACCESS_OPERATIONS] }] };

const validateDocument = new Ajv({ allErrors: true }).compile<AccessDocument>({
  type: 'object',
  required: ['originators'],
  additionalProperties: false,
  properties: {
    originators: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'operations'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          operations: { type: 'array', items: { enum: [...ACCESS_OPERATIONS] }, uniqueItems: true },
          nodes: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
});

/** `/regex/` as written, anything else a glob (`*`, `?`); both must match the whole node name. */
function nodePattern(pattern: string, source: string): RegExp {
  const body = pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')
    ? pattern.slice(1, -1)
    : pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try {
    return new RegExp(`^(?:${body})$`);
  } catch (error) {
    throw new Error(`${source}: node pattern "${pattern}" is not a valid regular expression (${(error as Error).message})`);
  }
}

/** Builds a policy from a parsed document; throws with a message naming `source` when the document is invalid. */
export function createAccessPolicy(document: unknown, source: string): AccessPolicy {
  if (!validateDocument(document)) {
    const problems = validateDocument.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${source}: invalid access policy: ${problems}`);
  }
  const rules = new Map<string, OriginatorRule>();
  for (const entry of document.originators) {
    if (rules.has(entry.id)) throw new Error(`${source}: originator "${entry.id}" is listed twice`);
    rules.set(entry.id, { operations: new Set(entry.operations), nodes: entry.nodes?.map((p) => nodePattern(p, source)) });
  }
  const ruleFor = (originator: string) => rules.get(originator) ?? rules.get(WILDCARD);
  return {
    deniedReason(originator, operation) {
      const rule = ruleFor(originator);
      if (!rule) return `originator "${originator}" is not known to this CSE`;
      return rule.operations.has(operation) ? undefined : `originator "${originator}" may not ${operation}`;
    },
    allowsNode(originator, nodeName) {
      const rule = ruleFor(originator);
      return rule !== undefined && (rule.nodes === undefined || rule.nodes.some((re) => re.test(nodeName)));
    },
    allowsEveryNode(originator) {
      const rule = ruleFor(originator);
      return rule !== undefined && rule.nodes === undefined;
    },
  };
}

export function loadAccessPolicy(config: ProxyConfig): AccessPolicy {
  if (!config.accessFile) return createAccessPolicy(DEFAULT_DOCUMENT, 'embedded access policy');
  const file = config.accessFile;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`access file ${file}: cannot be read (${(error as Error).message})`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`access file ${file}: not valid YAML or JSON (${(error as Error).message})`);
  }
  return createAccessPolicy(document, `access file ${file}`);
}

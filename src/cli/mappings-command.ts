import { parseArgs } from 'node:util';
import { isProtocol, PROTOCOLS } from '../core/protocols.js';
import { loadMappings } from '../mappings/loader.js';
import type { LoadedMappingSet } from '../mappings/mapping-set.js';
import { lwm2mResourcePath, omadmNodePath } from '../mappings/object-tables.js';
import { renderHtml, renderMarkdown } from '../mappings/render.js';

/** `--protocol` of an attribute: a status-table protocol, or `omadm` for the table both OMA DM versions share. */
const ATTRIBUTE_PROTOCOLS: readonly string[] = [...PROTOCOLS, 'omadm'];

export const USAGE = `Usage:
  dm-proxy mappings validate [dir] [--profile <profile>]
  dm-proxy mappings explain --protocol ${PROTOCOLS.join('|')} --operation <operation> --code <code> [--profile <profile>] [--dir <dir>]
  dm-proxy mappings explain --mgmtobj <type> --attribute <short name> --protocol ${ATTRIBUTE_PROTOCOLS.join('|')} [--dir <dir>]
  dm-proxy mappings render [--format md|html] [--profile <profile>] [--dir <dir>]

  <dir>        the mapping tables (default: $MAPPINGS_DIR, else ./mappings)
  <profile>    the status profile (default: $STATUS_PROFILE, else default)
  <operation>  create, retrieve, update, execute, delete; for lwm2m also read, write,
               discover, write-attributes, observe, firmware-update-result,
               software-update-result
  <code>       a device code (OMA DM 404, CoAP 4.04, an LwM2M Update Result 8), a transport outcome
               (timeout, not-registered, sleeping, decode-error) or a proxy outcome
               (unmapped, no-instance, invalid-value, nothing-to-send, expired);
               explain prints one JSON object per --code, one per line, in the order given

Exit status: 0 done, 1 invalid tables or nothing mapped, 2 usage error.`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

const OPTIONS = {
  dir: { type: 'string' },
  profile: { type: 'string' },
  protocol: { type: 'string' },
  operation: { type: 'string' },
  code: { type: 'string', multiple: true },
  mgmtobj: { type: 'string' },
  attribute: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

/** `dm-proxy mappings …`; returns the exit status. */
export function runMappingsCommand(args: string[], io: CliIo): number {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  try {
    switch (command) {
      case 'validate':
        if (rest.length > 1) throw new UsageError('validate takes at most one directory');
        return validate(rest[0] ?? values.dir ?? defaultDir(io), profileOf(values, io), io);
      case 'explain':
        if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
        return values.mgmtobj !== undefined || values.attribute !== undefined ? explainAttribute(values, io) : explainStatus(values, io);
      case 'render':
        if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
        return render(values, io);
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
}

function usage(io: CliIo, message: string): number {
  io.err(`dm-proxy mappings: ${message}\n\n${USAGE}`);
  return 2;
}

function defaultDir(io: CliIo): string {
  return io.env.MAPPINGS_DIR || './mappings';
}

function profileOf(values: Values, io: CliIo): string {
  return values.profile ?? (io.env.STATUS_PROFILE || 'default');
}

function required(values: Values, name: 'protocol' | 'operation' | 'mgmtobj' | 'attribute'): string {
  const value = values[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Loads the tables, or prints why they cannot be used. */
function load(dir: string, profile: string, io: CliIo): LoadedMappingSet | undefined {
  const result = loadMappings(dir, profile);
  if (result.ok) return result.set;
  io.err(result.problems.join('\n'));
  return undefined;
}

function validate(dir: string, profile: string, io: CliIo): number {
  const set = load(dir, profile, io);
  if (!set) return 1;
  const rows = set.statusViews.reduce((sum, view) => sum + view.rows.length, 0);
  io.out(
    `${dir}: valid (${set.statusViews.length} status tables with ${rows} rows, profiles ${set.profiles.join(', ')}; ` +
      `${set.lwm2mObjects.length} LwM2M and ${set.omadmObjects.length} OMA DM mgmtObj mappings)`,
  );
  return 0;
}

function explainStatus(values: Values, io: CliIo): number {
  const protocol = required(values, 'protocol');
  const operation = required(values, 'operation');
  const codes = values.code ?? [];
  if (codes.length === 0 || codes.includes('')) throw new UsageError('--code is required');
  if (!isProtocol(protocol)) throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(', ')}`);
  const set = load(values.dir ?? defaultDir(io), profileOf(values, io), io);
  if (!set) return 1;
  if (!set.hasStatusTable(protocol, operation)) throw new UsageError(`${protocol} has no status table for operation "${operation}"`);
  for (const code of codes) {
    const { label, rsc, rscName, http, final } = set.status(protocol, operation, code);
    io.out(JSON.stringify({ label, rsc, rscName, http, final }));
  }
  return 0;
}

function explainAttribute(values: Values, io: CliIo): number {
  const mgmtObj = required(values, 'mgmtobj');
  const attribute = required(values, 'attribute');
  const protocol = required(values, 'protocol');
  if (!ATTRIBUTE_PROTOCOLS.includes(protocol)) throw new UsageError(`--protocol must be one of ${ATTRIBUTE_PROTOCOLS.join(', ')}`);
  const set = load(values.dir ?? defaultDir(io), profileOf(values, io), io);
  if (!set) return 1;
  const notMapped = (what: string) => {
    io.err(`dm-proxy mappings: ${what} has no ${protocol} mapping`);
    return 1;
  };
  if (protocol === 'lwm2m') {
    const object = set.lwm2mByMgmtObj(mgmtObj);
    const mapping = object?.byAttribute.get(attribute);
    if (!object) return notMapped(`mgmtObj "${mgmtObj}"`);
    if (!mapping) return notMapped(`attribute "${attribute}" of ${mgmtObj}`);
    const paths = mapping.resources.map((resource) => lwm2mResourcePath(object, resource));
    io.out(JSON.stringify({
      protocol, mgmtObj, attribute, objectId: object.objectId, multiInstance: object.multiInstance, resources: mapping.resources,
      path: paths[0], paths, access: mapping.access, executable: mapping.executable, converter: mapping.converter ?? null,
    }));
    return 0;
  }
  const object = set.omadmByMgmtObj(mgmtObj);
  const mapping = object?.byAttribute.get(attribute);
  if (!object) return notMapped(`mgmtObj "${mgmtObj}"`);
  if (!mapping) return notMapped(`attribute "${attribute}" of ${mgmtObj}`);
  io.out(JSON.stringify({
    protocol, mgmtObj, attribute, moUrn: object.moUrn, rootPath: object.rootPath,
    path: omadmNodePath(object, mapping, protocol === 'omadm20' ? 'omadm20' : 'omadm13'),
    access: mapping.access, executable: mapping.executable, converter: mapping.converter ?? null,
  }));
  return 0;
}

function render(values: Values, io: CliIo): number {
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'html') throw new UsageError('--format must be md or html');
  const set = load(values.dir ?? defaultDir(io), profileOf(values, io), io);
  if (!set) return 1;
  io.out(format === 'md' ? renderMarkdown(set) : renderHtml(set));
  return 0;
}

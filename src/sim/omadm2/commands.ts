/**
 * Package 2 commands, carried out in order (reference §2): HGET, HPUT, HPOST, GET, DELETE, EXEC, SUB, UNSUB, CONT, END,
 * SHOW, DEFAULT. Each gives its package 3 Status entry; END none. ServerURI exchanges that fail answer 419.
 */
import { aclFor } from '../omadm/acl.js';
import { pathSegments } from '../omadm/dm-tree.js';
import { isExecutable } from '../omadm/exec-operations.js';
import { type ClientUri, formatClientUri, parseClientUri } from './client-uri.js';
import type { Dm2Faults } from './faults.js';
import { type MoInstances, type Target, normaliseMoValue } from './mo-instances.js';
import { DM2_STATUS } from './status-codes.js';
import type { Subscriptions } from './subscriptions.js';
import { DM2_MEDIA, type MoDataEntry, OMADM_ACCEPT_HEADER, type StatusEntry, isJsonMedia } from './wire.js';

export interface CommandContext {
  instances: MoInstances;
  faults: Dm2Faults;
  subscriptions: Subscriptions;
  /** DEFAULT: where to fetch a missing MOID's configuration from. */
  defaults: Map<string, string>;
  /** An HTTP exchange with a ServerURI (the device's credentials on the server's origin, its timeout). */
  http(url: string, init: RequestInit): Promise<Response>;
  /** Runs an executable node; with a ServerURI the result is reported there later (202 now). */
  exec(target: Target, serverUri: string | undefined): number;
  report(event: string, details?: Record<string, unknown>): void;
}

export interface CommandOutcome {
  /** undefined for END (nothing is sent back). */
  status?: StatusEntry;
  /** CONT: the following package 3s go here. */
  continueAt?: string;
  end?: boolean;
}

type Handler = (args: string[], context: CommandContext) => Promise<StatusEntry> | StatusEntry;

class Refusal extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(reason);
  }
}

const status = (sc: number, extra: Omit<StatusEntry, 'sc'> = {}): StatusEntry => ({ sc, ...extra });

export async function runCommand(command: string[], context: CommandContext): Promise<CommandOutcome> {
  const [name, ...args] = command;
  if (name === 'END') {
    context.report('command', { cmd: 'END' });
    return { end: true };
  }
  const uri = commandUri(name, args);
  const forced = context.faults.take(name, uri);
  let answer: StatusEntry;
  let reason: string | undefined;
  if (forced !== undefined) answer = status(forced);
  else {
    try {
      const handler = HANDLERS[name];
      if (!handler) throw new Refusal(DM2_STATUS.notImplemented, `unknown command ${name}`);
      answer = await handler(args, context);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = status(error.code);
      reason = error.message;
    }
  }
  context.report('command', { cmd: name, uri, status: answer.sc, ...(answer.URI ? { uris: answer.URI } : {}), ...(forced !== undefined ? { forced: true } : {}), ...(reason ? { reason } : {}) });
  return { status: answer, ...(name === 'CONT' && answer.sc === DM2_STATUS.ok ? { continueAt: args[0] } : {}) };
}

/** The URI a command is known by in events and forced statuses: its ClientURI, else its ServerURI. */
function commandUri(name: string, args: string[]): string {
  if (name === 'HGET' || name === 'HPUT' || name === 'HPOST') return args[1] ?? args[0] ?? '';
  return args[0] ?? '';
}

function needArgs(args: string[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new Refusal(DM2_STATUS.badRequest, `expected ${usage}, got ${args.length} argument(s)`);
}

function serverUri(text: string): string {
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) throw new Refusal(DM2_STATUS.badRequest, `"${text}" is no http(s) ServerURI`);
  return text;
}

function clientUri(text: string): ClientUri {
  const parsed = parseClientUri(text);
  if ('error' in parsed) throw new Refusal(parsed.error === 'unsupported' ? DM2_STATUS.notImplemented : DM2_STATUS.badRequest, parsed.reason);
  return parsed.uri;
}

function existing(context: CommandContext, uri: ClientUri): Target[] {
  const resolved = context.instances.resolve(uri);
  if ('status' in resolved) throw new Refusal(resolved.status, resolved.reason);
  return resolved.targets;
}

function allow(context: CommandContext, targets: Target[], command: 'Get' | 'Delete' | 'Exec'): void {
  const denied = targets.find((target) => !context.instances.tree.allows(target.treePath, command));
  if (denied) throw new Refusal(DM2_STATUS.forbidden, `${command} is not allowed on ${denied.clientUri}`);
}

/** Read commands: the targets' data, or 304 when every ClientURI's cv is its instance's current validator. */
function readAll(context: CommandContext, texts: string[]): { data: MoDataEntry[]; unchanged: boolean } {
  const uris = texts.map(clientUri);
  const perUri = uris.map((uri) => existing(context, uri));
  perUri.forEach((targets) => allow(context, targets, 'Get'));
  const unchanged = uris.every((uri, index) => uri.cv !== undefined && perUri[index].every((target) => context.instances.cacheValidator(target.instance) === uri.cv));
  return { data: perUri.flat().map((target) => context.instances.moData(target)), unchanged };
}

async function exchange(context: CommandContext, url: string, init: RequestInit): Promise<Response> {
  if (context.faults.serverUriFails) throw new Refusal(DM2_STATUS.serverUriError, `${url}: failing ServerURI exchanges (fault)`);
  try {
    return await context.http(url, init);
  } catch (error) {
    throw new Refusal(DM2_STATUS.serverUriError, `${url}: ${(error as Error).message}`);
  }
}

async function push(method: 'PUT' | 'POST', args: string[], context: CommandContext): Promise<StatusEntry> {
  needArgs(args, 2, Infinity, `${method === 'PUT' ? 'HPUT' : 'HPOST'} ServerURI ClientURI...`);
  const target = serverUri(args[0]);
  const { data, unchanged } = readAll(context, args.slice(1));
  if (unchanged) return status(DM2_STATUS.notModified);
  const response = await exchange(context, target, { method, headers: { 'content-type': DM2_MEDIA.moData }, body: JSON.stringify(data) });
  await response.body?.cancel();
  if (response.status === 415 || response.status === 406) {
    const accepted = response.headers.get(OMADM_ACCEPT_HEADER.toLowerCase()) ?? '';
    if (!accepted.split(',').some((type) => isJsonMedia(type))) throw new Refusal(DM2_STATUS.notAcceptable, `${target} takes ${accepted || 'no type named'}, the device sends only JSON MO data`);
  }
  if (!response.ok) throw new Refusal(DM2_STATUS.serverUriError, `${method} ${target}: HTTP ${response.status}`);
  return status(DM2_STATUS.ok);
}

async function hget(args: string[], context: CommandContext): Promise<StatusEntry> {
  needArgs(args, 1, 2, 'HGET ServerURI [ClientURI]');
  const source = serverUri(args[0]);
  const given = args[1] === undefined ? undefined : clientUri(args[1]);
  const response = await exchange(context, source, { method: 'GET', headers: { accept: DM2_MEDIA.moData } });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Refusal(DM2_STATUS.serverUriError, `GET ${source}: HTTP ${response.status}`);
  }
  if (!isJsonMedia(response.headers.get('content-type'))) {
    await response.body?.cancel();
    throw new Refusal(DM2_STATUS.unsupportedMediaType, `GET ${source}: ${response.headers.get('content-type') ?? 'no content type'} is no JSON MO data`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch (error) {
    throw new Refusal(DM2_STATUS.badRequest, `GET ${source}: ${(error as Error).message}`);
  }
  const entries = Array.isArray(body) ? body : [body];
  const { instances } = context;
  const snapshot = { tree: instances.tree.snapshot(), list: [...instances.list()] };
  try {
    const stored = entries.flatMap((entry) => store(entry, given, context));
    return status(DM2_STATUS.ok, given === undefined || given.miid === undefined ? { URI: stored } : {});
  } catch (error) {
    instances.tree.restore(snapshot.tree);
    instances.reset(snapshot.list);
    throw error;
  }
}

/** One MO data entry of an HGET into the tree; the ClientURIs where it went. */
function store(entry: unknown, given: ClientUri | undefined, context: CommandContext): string[] {
  const { ClientURI: entryUri, MOData: moData } = (entry ?? {}) as { ClientURI?: unknown; MOData?: unknown };
  const names = moData !== null && typeof moData === 'object' && !Array.isArray(moData) ? Object.keys(moData) : [];
  if (names.length !== 1) throw new Refusal(DM2_STATUS.badRequest, 'MOData must be an object with one key: the name of the node it holds');
  const name = names[0];
  const value = normaliseMoValue((moData as Record<string, unknown>)[name]);
  if (value === undefined || (pathSegments(name)?.length ?? 0) !== 1) throw new Refusal(DM2_STATUS.badRequest, `MOData "${name}" is no MO data`);
  let uri = given;
  if (!uri) {
    if (typeof entryUri !== 'string') throw new Refusal(DM2_STATUS.badRequest, 'HGET without ClientURI needs the data\'s ClientURI');
    uri = clientUri(entryUri);
  }
  const { instances } = context;
  if (uri.miid === undefined) {
    if (uri.path.length > 0) throw new Refusal(DM2_STATUS.badRequest, 'a new MO instance is addressed by its MOID alone');
    const instance = instances.create(uri.moid, name);
    const written = instances.write(instances.target(instance, []), value);
    if (written.status !== DM2_STATUS.ok) throw new Refusal(written.status, written.reason ?? '');
    // The creator of an MO instance gets full permissions on it (reference §2, delegation).
    const root = instances.tree.node(instance.rootPath);
    if (root) root.acl = aclFor('Get', 'Add', 'Replace', 'Delete', 'Exec');
    return [formatClientUri(instance.moid, instance.miid)];
  }
  const resolved = instances.resolve(uri, false);
  if ('status' in resolved) throw new Refusal(resolved.status, resolved.reason);
  for (const target of resolved.targets) {
    const expected = target.path.at(-1) ?? target.instance.rootName;
    if (name !== expected) throw new Refusal(DM2_STATUS.badRequest, `MOData holds "${name}", ${target.clientUri} is "${expected}"`);
    const written = instances.write(target, value);
    if (written.status !== DM2_STATUS.ok) throw new Refusal(written.status, written.reason ?? '');
  }
  return resolved.targets.map((target) => target.clientUri);
}

const HANDLERS: Record<string, Handler> = {
  HGET: hget,
  HPUT: (args, context) => push('PUT', args, context),
  HPOST: (args, context) => push('POST', args, context),
  GET: (args, context) => {
    needArgs(args, 1, 1, 'GET ClientURI');
    const { data, unchanged } = readAll(context, args);
    return unchanged ? status(DM2_STATUS.notModified) : status(DM2_STATUS.ok, { Data: data });
  },
  DELETE: (args, context) => {
    needArgs(args, 1, 1, 'DELETE ClientURI');
    const targets = existing(context, clientUri(args[0]));
    const permanent = targets.find((target) => context.instances.tree.node(target.treePath)?.permanent);
    if (permanent) throw new Refusal(DM2_STATUS.notAllowed, `${permanent.clientUri} is permanent`);
    allow(context, targets, 'Delete');
    for (const target of targets) {
      if (target.path.length === 0) context.instances.remove(target.instance);
      else context.instances.tree.remove(target.treePath);
    }
    return status(DM2_STATUS.ok);
  },
  EXEC: (args, context) => {
    needArgs(args, 1, 2, 'EXEC ClientURI [ServerURI]');
    const report = args[1] === undefined ? undefined : serverUri(args[1]);
    const targets = existing(context, clientUri(args[0]));
    if (targets.length !== 1) throw new Refusal(DM2_STATUS.badRequest, 'EXEC names one node');
    if (!isExecutable(pathSegments(targets[0].treePath) ?? [])) throw new Refusal(DM2_STATUS.notAllowed, `${targets[0].clientUri} is not executable`);
    allow(context, targets, 'Exec');
    return status(context.exec(targets[0], report));
  },
  SUB: (args, context) => {
    needArgs(args, 2, 2, 'SUB ClientURI ServerURI');
    const report = serverUri(args[1]);
    existing(context, clientUri(args[0]));
    context.subscriptions.add(args[0], report, context.instances);
    return status(DM2_STATUS.ok);
  },
  UNSUB: (args, context) => {
    needArgs(args, 1, 1, 'UNSUB ClientURI');
    if (!context.subscriptions.remove(args[0])) throw new Refusal(DM2_STATUS.notFound, `no subscription for ${args[0]}`);
    return status(DM2_STATUS.ok);
  },
  CONT: (args) => {
    needArgs(args, 1, 1, 'CONT ServerURI');
    serverUri(args[0]);
    return status(DM2_STATUS.ok);
  },
  SHOW: (args, context) => {
    needArgs(args, 1, 1, 'SHOW ServerURI');
    context.report('show', { url: serverUri(args[0]) });
    return status(DM2_STATUS.ok);
  },
  DEFAULT: (args, context) => {
    needArgs(args, 2, 2, 'DEFAULT MOID ServerURI');
    const moid = clientUri(args[0]).moid;
    context.defaults.set(moid, serverUri(args[1]));
    return status(DM2_STATUS.ok);
  },
};

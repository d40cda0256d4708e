/**
 * The device's answers to the server's commands: a Status for each (per Item), Results after a successful Get,
 * Atomic all-or-nothing, Sequence in order. Codes per the reference §1.5 / §1.10.
 */
import type { Command, CommandGroup, Exec, Item, ItemCommand, Results, Status } from '../../omadm/v13/codec/index.js';
import type { AclCommand } from './acl.js';
import { type DmNode, type DmTree, interior, joinPath, leaf, pathSegments } from './dm-tree.js';
import { completeAddedNode, isExecutable } from './exec-operations.js';
import type { DmFaults } from './faults.js';
import { DM_STATUS, isSuccess } from './status-codes.js';

export interface AnswerContext {
  tree: DmTree;
  /** MsgID of the server message being answered. */
  msgRef: string;
  faults: DmFaults;
  /** Status of a write the ACL forbids: 425 (libdmclient) or 405 (other clients). */
  deniedStatus: number;
  /** Runs an Exec on an existing executable node whose ACL allows it; returns the status (202 for asynchronous). */
  exec(segments: string[], correlator: string | undefined, data: string | undefined): number;
  /** Every answered command, for the event stream. */
  answered(cmd: string, path: string, status: number, details?: Record<string, unknown>): void;
}

/** Answers not yet numbered: the message composer gives them their CmdID. */
export type Answer = Status | Results;

function status(command: { kind: string; cmdId: string }, ctx: AnswerContext, code: number, targetRefs: string[] = []): Status {
  return { kind: 'Status', cmdId: '', msgRef: ctx.msgRef, cmdRef: command.cmdId, cmd: command.kind, targetRefs, sourceRefs: [], items: [], data: code };
}

const targetOf = (item: Item): string => item.target?.locUri ?? '';

function splitQuery(uri: string): { path: string; query?: string } {
  const at = uri.indexOf('?');
  return at < 0 ? { path: uri } : { path: uri.slice(0, at), query: uri.slice(at + 1) };
}

interface ItemOutcome {
  code: number;
  result?: Item;
}

function getItem(uri: string, ctx: AnswerContext): ItemOutcome {
  const { path, query } = splitQuery(uri);
  const node = ctx.tree.node(path);
  if (!node) return { code: DM_STATUS.notFound };
  if (!ctx.tree.allows(path, 'Get')) return { code: DM_STATUS.permissionDenied };
  if (query !== undefined) return getProperty(uri, node, query);
  if (node.format === 'node') {
    const data = ctx.tree.childNames(node).join('/');
    return { code: DM_STATUS.ok, result: { source: { locUri: uri }, meta: { format: 'node', ...(node.type ? { type: node.type } : {}) }, data } };
  }
  return { code: DM_STATUS.ok, result: { source: { locUri: uri }, meta: { format: node.format, type: node.type ?? 'text/plain' }, data: node.value ?? '' } };
}

function getProperty(uri: string, node: DmNode, query: string): ItemOutcome {
  const prop = /^prop=(\w+)$/.exec(query)?.[1];
  const values: Record<string, string | undefined> = {
    ACL: node.acl,
    Format: node.format,
    Type: node.type,
    Name: node.name,
    Size: node.value === undefined ? undefined : String(Buffer.byteLength(node.value)),
  };
  // ?list=Struct / StructData (TNDS) and the other properties are optional: 406, as libdmclient answers.
  if (prop === undefined || !(prop in values) || values[prop] === undefined) return { code: DM_STATUS.optionalFeatureNotSupported };
  return { code: DM_STATUS.ok, result: { source: { locUri: uri }, meta: { format: 'chr', type: 'text/plain' }, data: values[prop] } };
}

function writeCheck(path: string, command: AclCommand, ctx: AnswerContext): number | undefined {
  return ctx.tree.allows(path, command) ? undefined : ctx.deniedStatus;
}

function addItem(item: Item, commandMeta: ItemCommand['meta'], ctx: AnswerContext): number {
  const path = targetOf(item);
  const segments = pathSegments(path);
  if (!segments || segments.length === 0 || path.includes('?')) return segments?.length === 0 ? DM_STATUS.alreadyExists : DM_STATUS.badRequest;
  if (ctx.tree.node(path)) return DM_STATUS.alreadyExists;
  let ancestor = segments.length - 1;
  while (ancestor > 0 && !ctx.tree.node(joinPath(segments.slice(0, ancestor)))) ancestor--;
  const parentPath = joinPath(segments.slice(0, ancestor));
  if (ctx.tree.node(parentPath)?.format !== 'node') return DM_STATUS.notAllowed;
  const denied = writeCheck(parentPath, 'Add', ctx);
  if (denied) return denied;
  const meta = item.meta ?? commandMeta;
  const format = (meta?.format ?? 'chr').toLowerCase();
  const name = segments.at(-1)!;
  const node = format === 'node' ? interior(name, '', [], meta?.type ? { type: meta.type } : {}) : leaf(name, item.data ?? '', '', { format, type: meta?.type ?? 'text/plain' });
  if (!ctx.tree.insert(path, node)) return DM_STATUS.commandFailed;
  completeAddedNode(ctx.tree, segments);
  return DM_STATUS.ok;
}

function replaceItem(item: Item, commandMeta: ItemCommand['meta'], ctx: AnswerContext): number {
  const { path, query } = splitQuery(targetOf(item));
  const node = ctx.tree.node(path);
  if (!node) return DM_STATUS.notFound;
  const denied = writeCheck(path, 'Replace', ctx);
  if (denied) return denied;
  if (query !== undefined) {
    if (query !== 'prop=ACL') return DM_STATUS.notAllowed;
    node.acl = item.data ?? '';
    return DM_STATUS.ok;
  }
  if (node.format === 'node') return DM_STATUS.notAllowed;
  const format = item.meta?.format ?? commandMeta?.format;
  if (format !== undefined && format.toLowerCase() !== node.format && format.toLowerCase() !== 'chr') node.format = format.toLowerCase();
  node.value = item.data ?? '';
  return DM_STATUS.ok;
}

function deleteItem(item: Item, ctx: AnswerContext): number {
  const path = targetOf(item);
  const segments = pathSegments(path);
  if (segments === undefined) return DM_STATUS.badRequest;
  const node = ctx.tree.node(path);
  if (!node) return DM_STATUS.notFound;
  if (segments.length === 0 || node.permanent) return DM_STATUS.notAllowed;
  return writeCheck(path, 'Delete', ctx) ?? (ctx.tree.remove(path) ? DM_STATUS.ok : DM_STATUS.commandFailed);
}

function answerItemCommand(command: ItemCommand, ctx: AnswerContext): Answer[] {
  const statuses: Status[] = [];
  const resultItems: Item[] = [];
  for (const item of command.items) {
    const target = targetOf(item);
    const forced = ctx.faults.take(command.kind, splitQuery(target).path);
    let outcome: ItemOutcome;
    if (forced !== undefined && !(forced === DM_STATUS.ok && command.kind === 'Get')) outcome = { code: forced };
    else if (command.kind === 'Get') outcome = getItem(target, ctx);
    else if (command.kind === 'Add') outcome = { code: addItem(item, command.meta, ctx) };
    else if (command.kind === 'Replace') outcome = { code: replaceItem(item, command.meta, ctx) };
    else if (command.kind === 'Delete') outcome = { code: deleteItem(item, ctx) };
    // Copy is optional in DM and none of the proxy's mappings uses it.
    else outcome = { code: DM_STATUS.optionalFeatureNotSupported };
    if (outcome.result) resultItems.push(outcome.result);
    const details = command.kind === 'Get' || item.data === undefined ? {} : { value: item.data.slice(0, 200) };
    ctx.answered(command.kind, target, outcome.code, details);
    statuses.push(status(command, ctx, outcome.code, [target]));
  }
  if (command.noResp) return [];
  const answers: Answer[] = [...statuses];
  if (resultItems.length > 0) {
    const results: Results = { kind: 'Results', cmdId: '', msgRef: ctx.msgRef, cmdRef: command.cmdId, targetRefs: [], sourceRefs: [], items: resultItems };
    answers.push(results);
  }
  return answers;
}

function answerExec(command: Exec, ctx: AnswerContext): Answer[] {
  const path = targetOf(command.item);
  const segments = pathSegments(path);
  const forced = ctx.faults.take('Exec', path);
  let code: number;
  if (forced !== undefined) code = forced;
  else if (!segments || !ctx.tree.node(path)) code = DM_STATUS.notFound;
  else if (!isExecutable(segments)) code = DM_STATUS.notAllowed;
  else if (!ctx.tree.allows(path, 'Exec')) code = DM_STATUS.permissionDenied;
  else code = ctx.exec(segments, command.correlator, command.item.data);
  ctx.answered('Exec', path, code, command.correlator === undefined ? {} : { correlator: command.correlator });
  return command.noResp ? [] : [status(command, ctx, code, [path])];
}

/** Get inside Atomic and Atomic inside Atomic are illegal (500); a failed inner command rolls every change back (507). */
function answerAtomic(command: CommandGroup, ctx: AnswerContext): Answer[] {
  const illegal = command.commands.some((inner) => inner.kind === 'Get' || inner.kind === 'Atomic');
  if (illegal) return [status(command, ctx, DM_STATUS.commandFailed), ...command.commands.flatMap((inner) => notExecuted(inner, ctx))];
  const snapshot = ctx.tree.snapshot();
  const inner = command.commands.flatMap((nested) => answerCommand(nested, ctx));
  const failed = inner.some((answer) => answer.kind === 'Status' && !isSuccess(answer.data));
  if (!failed) return [status(command, ctx, DM_STATUS.ok), ...inner];
  ctx.tree.restore(snapshot);
  const rolledBack = inner.map((answer) => (answer.kind === 'Status' && isSuccess(answer.data) ? { ...answer, data: DM_STATUS.atomicRolledBack } : answer));
  return [status(command, ctx, DM_STATUS.atomicFailed), ...rolledBack];
}

function notExecuted(command: Command, ctx: AnswerContext): Answer[] {
  return 'cmdId' in command && command.cmdId !== undefined && command.kind !== 'Status' && command.kind !== 'Results'
    ? [status({ kind: command.kind === 'Unknown' ? command.name : command.kind, cmdId: command.cmdId }, ctx, DM_STATUS.notExecuted)]
    : [];
}

/**
 * The answers to one server command (not Status/Results, which need none, nor Alert, which the session handles).
 * Changes the tree as the command says.
 */
export function answerCommand(command: Command, ctx: AnswerContext): Answer[] {
  switch (command.kind) {
    case 'Get':
    case 'Add':
    case 'Replace':
    case 'Delete':
    case 'Copy':
      return answerItemCommand(command, ctx);
    case 'Exec':
      return answerExec(command, ctx);
    case 'Atomic':
      return answerAtomic(command, ctx);
    case 'Sequence':
      return [status(command, ctx, DM_STATUS.ok), ...command.commands.flatMap((nested) => answerCommand(nested, ctx))];
    case 'Alert':
      // User-interaction alerts: 1100 display and 1101 confirm succeed (a user who says yes); input and choices are not simulated.
      return [status(command, ctx, command.data === 1100 || command.data === 1101 || command.data === 1222 || command.data === 1225 ? DM_STATUS.ok : DM_STATUS.optionalFeatureNotSupported)];
    case 'Unknown':
      return command.cmdId === undefined ? [] : [status({ kind: command.name, cmdId: command.cmdId }, ctx, DM_STATUS.notImplemented)];
    case 'Status':
    case 'Results':
      return [];
  }
}

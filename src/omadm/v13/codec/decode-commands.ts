/** SyncBody's commands → typed commands in document order, Atomic/Sequence nesting kept, within the limits. */
import { SyncmlDecodeError } from './decode-error.js';
import {
  child, childrenNamed, decodeChal, decodeItem, has, nonNegativeInteger, optionalMeta, optionalText, requiredText, structureError, trimmedText,
} from './decode-parts.js';
import type { DecodeLimits } from './limits.js';
import type { Alert, Command, CommandGroup, Exec, Item, ItemCommand, Results, Status } from './model.js';
import type { XmlElement } from './xml-tree.js';

const ITEM_COMMANDS = new Set<string>(['Add', 'Replace', 'Delete', 'Get', 'Copy']);

/** What one message has used of its limits so far. */
class Budget {
  private commands = 0;
  private items = 0;

  constructor(readonly limits: DecodeLimits) {}

  command(): void {
    if (++this.commands > this.limits.maxCommands) {
      throw new SyncmlDecodeError('limit', `more than ${this.limits.maxCommands} commands in one message`, 413);
    }
  }

  item(count: number): void {
    this.items += count;
    if (this.items > this.limits.maxItems) throw new SyncmlDecodeError('limit', `more than ${this.limits.maxItems} Items in one message`, 413);
  }
}

function items(element: XmlElement, budget: Budget): Item[] {
  const found = childrenNamed(element, 'Item');
  budget.item(found.length);
  return found.map(decodeItem);
}

function flags(element: XmlElement): { noResp?: true } {
  return has(element, 'NoResp') ? { noResp: true } : {};
}

function decodeItemCommand(kind: ItemCommand['kind'], element: XmlElement, budget: Budget): ItemCommand {
  const command: ItemCommand = { kind, cmdId: requiredText(element, 'CmdID'), ...flags(element), items: items(element, budget) };
  const meta = optionalMeta(element);
  if (meta) command.meta = meta;
  return command;
}

function decodeAlert(element: XmlElement, budget: Budget): Alert {
  const alert: Alert = {
    kind: 'Alert',
    cmdId: requiredText(element, 'CmdID'),
    ...flags(element),
    data: nonNegativeInteger(requiredText(element, 'Data'), 'Alert code'),
    items: items(element, budget),
  };
  const correlator = optionalText(element, 'Correlator');
  if (correlator !== undefined) alert.correlator = correlator;
  return alert;
}

function decodeExec(element: XmlElement, budget: Budget): Exec {
  const [item, ...extra] = items(element, budget);
  if (!item || extra.length > 0) throw structureError('<Exec> must carry exactly one <Item>');
  const exec: Exec = { kind: 'Exec', cmdId: requiredText(element, 'CmdID'), ...flags(element), item };
  const correlator = optionalText(element, 'Correlator');
  if (correlator !== undefined) exec.correlator = correlator;
  const meta = optionalMeta(element);
  if (meta) exec.meta = meta;
  return exec;
}

function refs(element: XmlElement, name: string): string[] {
  return childrenNamed(element, name).map(trimmedText);
}

/** Children read by name, whatever their order (hostap puts Data before TargetRef). */
function decodeStatus(element: XmlElement, budget: Budget): Status {
  const cmd = requiredText(element, 'Cmd');
  const cmdRef = optionalText(element, 'CmdRef') ?? (cmd === 'SyncHdr' ? '0' : undefined);
  if (cmdRef === undefined) throw structureError(`<Status> for ${cmd} has no <CmdRef>`);
  const status: Status = {
    kind: 'Status',
    cmdId: requiredText(element, 'CmdID'),
    msgRef: requiredText(element, 'MsgRef'),
    cmdRef,
    cmd,
    targetRefs: refs(element, 'TargetRef'),
    sourceRefs: refs(element, 'SourceRef'),
    items: items(element, budget),
    data: nonNegativeInteger(requiredText(element, 'Data'), 'Status code'),
  };
  const chal = child(element, 'Chal');
  if (chal) status.chal = decodeChal(chal);
  return status;
}

function decodeResults(element: XmlElement, budget: Budget): Results {
  const results: Results = {
    kind: 'Results',
    cmdId: requiredText(element, 'CmdID'),
    cmdRef: requiredText(element, 'CmdRef'),
    targetRefs: refs(element, 'TargetRef'),
    sourceRefs: refs(element, 'SourceRef'),
    items: items(element, budget),
  };
  const msgRef = optionalText(element, 'MsgRef');
  if (msgRef !== undefined) results.msgRef = msgRef;
  const meta = optionalMeta(element);
  if (meta) results.meta = meta;
  return results;
}

/** Children of a group that are not commands: its own CmdID, NoResp and Meta. */
const GROUP_FIELDS = new Set(['CmdID', 'NoResp', 'Meta']);

function decodeGroup(kind: CommandGroup['kind'], element: XmlElement, budget: Budget, depth: number): CommandGroup {
  if (depth > budget.limits.maxGroupDepth) {
    throw new SyncmlDecodeError('limit', `Atomic/Sequence nested deeper than ${budget.limits.maxGroupDepth} levels`);
  }
  const commands = element.children.filter((entry) => !GROUP_FIELDS.has(entry.name));
  const group: CommandGroup = {
    kind,
    cmdId: requiredText(element, 'CmdID'),
    ...flags(element),
    commands: decodeCommandList(commands, budget, depth),
  };
  const meta = optionalMeta(element);
  if (meta) group.meta = meta;
  return group;
}

function decodeCommand(element: XmlElement, budget: Budget, groupDepth: number): Command {
  budget.command();
  const { name } = element;
  if (ITEM_COMMANDS.has(name)) return decodeItemCommand(name as ItemCommand['kind'], element, budget);
  switch (name) {
    case 'Alert':
      return decodeAlert(element, budget);
    case 'Exec':
      return decodeExec(element, budget);
    case 'Status':
      return decodeStatus(element, budget);
    case 'Results':
      return decodeResults(element, budget);
    case 'Atomic':
    case 'Sequence':
      return decodeGroup(name, element, budget, groupDepth + 1);
    default: {
      const cmdId = optionalText(element, 'CmdID');
      return cmdId === undefined ? { kind: 'Unknown', name } : { kind: 'Unknown', name, cmdId };
    }
  }
}

function decodeCommandList(elements: XmlElement[], budget: Budget, groupDepth: number): Command[] {
  return elements.map((element) => decodeCommand(element, budget, groupDepth));
}

/** SyncBody → its commands in order and whether `<Final/>` closed it. */
export function decodeBody(syncBody: XmlElement, limits: DecodeLimits): { body: Command[]; final: boolean } {
  const budget = new Budget(limits);
  const commands = syncBody.children.filter((element) => element.name !== 'Final');
  return { body: decodeCommandList(commands, budget, 0), final: has(syncBody, 'Final') };
}

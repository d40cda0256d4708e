import type { CommandGroup, Exec, ItemCommand } from '../codec/index.js';
import type { DmServerCommand } from '../session/command-queue.js';
import type { NodeData } from '../../common/node-values.js';

/** Server commands as queued: CmdIDs are given when a session sends them. */

export function getNodes(uris: readonly string[]): ItemCommand {
  return { kind: 'Get', cmdId: '', items: uris.map((uri) => ({ target: { locUri: uri } })) };
}

export function replaceLeaf(uri: string, value: NodeData): ItemCommand {
  return { kind: 'Replace', cmdId: '', items: [{ target: { locUri: uri }, meta: { format: value.format }, data: value.data }] };
}

/** An interior node is added with Format `node` and no Data. */
export function addInterior(uri: string): ItemCommand {
  return { kind: 'Add', cmdId: '', items: [{ target: { locUri: uri }, meta: { format: 'node' } }] };
}

export function addLeaf(uri: string, value: NodeData): ItemCommand {
  return { kind: 'Add', cmdId: '', items: [{ target: { locUri: uri }, meta: { format: value.format }, data: value.data }] };
}

export function execNode(uri: string, correlator: string): Exec {
  return { kind: 'Exec', cmdId: '', correlator, item: { target: { locUri: uri } } };
}

export function deleteNode(uri: string): ItemCommand {
  return { kind: 'Delete', cmdId: '', items: [{ target: { locUri: uri } }] };
}

/** Several commands of one request: Atomic (all or nothing) or Sequence (in order); a single command as it is. */
export function grouped(kind: CommandGroup['kind'], commands: Array<ItemCommand | Exec>): DmServerCommand {
  return commands.length === 1 ? commands[0] : { kind, cmdId: '', commands };
}

/** The commands of a queued command in the order the session numbers them (a group first, then its inner commands). */
export function commandsInOrder(command: DmServerCommand): DmServerCommand[] {
  if (command.kind !== 'Atomic' && command.kind !== 'Sequence') return [command];
  return [command, ...command.commands.flatMap((inner) => commandsInOrder(inner as DmServerCommand))];
}

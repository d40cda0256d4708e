/**
 * Large objects to the device (reference §1.7): an Add or Replace whose last Item does not fit the device's MaxMsgSize
 * goes in chunks, one per server message with nothing else of the session's queue beside it: Meta Size (the whole
 * object's bytes) on the first, MoreData on all but the last, Target and Meta repeated on each. The device's 213 for a
 * non-final chunk is no answer; its Status for the last chunk (or any other code for an earlier one) is.
 * An object larger than the MaxObjSize the device announced is not sent at all: the command is answered as the device
 * would (413 for each of its commands), so the status tables map it. A device that answers an early chunk with 200
 * took part of the value for the whole (answeredMidObject): 413 as well.
 */
import { type Command, type Item, type ItemCommand, type Status, type SyncmlMessage, encodeSyncml } from '../codec/index.js';
import { MAX_CHUNKS, TOO_LARGE, chunkEnd, objectSize } from './chunk-text.js';
import type { DmServerCommand } from './command-queue.js';
import type { DmCommandAnswer } from './session-events.js';

/** A sent command whose object is still going out: the data from `next` on is not sent yet. */
export interface OutgoingChunks {
  next: number;
  /** The device accepted the latest chunk (213): the next one may go. */
  acknowledged: boolean;
}

/** Below this much room for Data a chunk is not worth a message: the command goes whole, as before large objects. */
const MIN_CHUNK_BYTES = 32;
/** `<Data>…</Data>` is 6 bytes longer than the `<Data/>` measured in its place. */
const DATA_ELEMENT_SLACK = 6;

/** The command's last Item when it can travel in chunks (an Add or Replace whose last Item has Data). */
function chunkable(command: Command): command is ItemCommand & { kind: 'Add' | 'Replace' } {
  return (command.kind === 'Add' || command.kind === 'Replace') && Boolean(command.items.at(-1)?.data);
}

function largestItem(command: Command): number {
  if (command.kind === 'Atomic' || command.kind === 'Sequence') return Math.max(0, ...command.commands.map(largestItem));
  const items = command.kind === 'Exec' ? [command.item] : 'items' in command ? command.items : [];
  return Math.max(0, ...items.map((item) => (item.data === undefined ? 0 : objectSize(item.data))));
}

/** Whether an Item of the command is larger than the device's MaxObjSize (when it announced one). */
export function tooLargeForDevice(command: DmServerCommand, maxObjSize: number | undefined): boolean {
  return maxObjSize !== undefined && largestItem(command) > maxObjSize;
}

/** The answer the device would give a command with an object over its MaxObjSize: 413 for it and each inner command. */
export function refusedAsTooLarge(command: DmServerCommand): DmCommandAnswer {
  const cmdIds: string[] = [];
  const statuses: Status[] = [];
  const visit = (inner: Command): void => {
    const cmdId = String(cmdIds.length + 1);
    cmdIds.push(cmdId);
    statuses.push({ kind: 'Status', cmdId: '', msgRef: '', cmdRef: cmdId, cmd: inner.kind, targetRefs: [], sourceRefs: [], items: [], data: TOO_LARGE });
    if (inner.kind === 'Atomic' || inner.kind === 'Sequence') inner.commands.forEach(visit);
  };
  visit(command);
  return { statuses, results: [], cmdIds };
}

/**
 * The Statuses reported for a command whose chunk before the last was answered with something else than 213. A
 * success there means the device took the first chunk for the whole value (libdmclient ignores MoreData): what it holds
 * is cut short, so the command is answered 413 (too large for the device) before the device's own codes.
 */
export function answeredMidObject(statuses: readonly Status[]): Status[] {
  const tookPart = statuses.find((status) => status.data >= 200 && status.data < 300);
  return tookPart ? [{ ...tookPart, cmdId: '', data: TOO_LARGE }, ...statuses] : [...statuses];
}

/**
 * The chunk of `command` (numbered already) that starts at `start` of its last Item's Data and fits `draft` within
 * `limit` bytes; undefined when the command cannot go in chunks or too little room is left.
 */
export function fitChunk(draft: SyncmlMessage, command: DmServerCommand, start: number, limit: number): { chunk: ItemCommand; end: number } | undefined {
  if (!chunkable(command)) return undefined;
  const object = command.items.at(-1) as Item;
  const data = object.data as string;
  const { size: _size, ...meta } = object.meta ?? {};
  const shape = (piece: string, more: boolean): ItemCommand => {
    const item: Item = { ...object, data: piece, meta: start === 0 ? { ...meta, size: objectSize(data) } : meta };
    if (more) item.moreData = true;
    else delete item.moreData;
    return { ...command, items: [...(start === 0 ? command.items.slice(0, -1) : []), item] };
  };
  const measured = Buffer.byteLength(encodeSyncml({ ...draft, body: [...draft.body, shape('', true)], final: true }));
  const room = limit - measured - DATA_ELEMENT_SLACK;
  // At most MAX_CHUNKS chunks: each costs a message and a session-record write.
  if (room < Math.max(MIN_CHUNK_BYTES, Math.ceil(objectSize(data) / MAX_CHUNKS))) return undefined;
  const end = chunkEnd(data, start, room);
  if (end === start) return undefined;
  return { chunk: shape(data.slice(start, end), end < data.length), end };
}

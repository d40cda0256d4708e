/**
 * Large objects from the device (reference §1.7): a Results Item (or a Replace/Add Item of package 1) with MoreData is
 * buffered in the session record until its last chunk, each non-final chunk answered 213. The assembled Item is checked
 * against the first chunk's Size (424 on a mismatch, nothing delivered) and replaces the chunks, so the rest of the
 * session sees one Results (or one Replace) as if it had come whole. An object that grows past the server's MaxObjSize
 * (or past MAX_CHUNKS chunks) is refused with 413 and its later chunks are answered 413 without being kept. Anything
 * else than the next chunk (Statuses and Alert 1222 aside) while an object is open cuts it off: Alert 1225 names it and
 * it is dropped. A Results object that fails reaches the adapter as its command answered with the server's code (413,
 * or 424 for a size mismatch or a cut-off) on the object's node, before the device's own Statuses.
 */
import type { Alert, Command, Item, ItemCommand, Results, Status } from '../codec/index.js';
import { CHUNK_ACCEPTED, MAX_CHUNKS, SIZE_MISMATCH, TOO_LARGE, objectSize } from './chunk-text.js';

/** An object of the device being received, kept in the session record between messages. */
export interface IncomingObject {
  /** The command carrying it: its Items before the object's (delivered with it), its other fields as first received. */
  command: Results | (ItemCommand & { kind: 'Replace' | 'Add' });
  /** The object's Item as first received, without Data (its Source/Target and Meta). */
  item: Item;
  uri: string;
  /** Meta Size of the first chunk (absent when the device gave none: then nothing is checked). */
  size?: number;
  data: string;
  /**
   * Chunks that came as binary (WBXML OPAQUE, each in base64 of its own): kept apart and joined as bytes at the end,
   * where Size counts the raw bytes.
   */
  binaryParts?: string[];
  /** objectSize(data) (raw bytes for binary chunks), kept as chunks come (not counted again over the whole). */
  bytes: number;
  chunks: number;
  /** Results: the device's Statuses for the same server command, held until the object is complete. */
  statuses: Status[];
  /** The object was refused with this code: its later chunks get it too and are not kept. */
  refused?: number;
}

export interface ChunkOutcome {
  /** Status and Results for pairing with sent commands: held Statuses released, an assembled Results whole. */
  answers: Array<Status | Results>;
  /** The device's other commands, in order; a complete chunked Replace/Add with its assembled Item. */
  commands: Array<Exclude<Command, { kind: 'Status' | 'Results' }>>;
  /** Statuses to the device for chunk-carrying commands (213, 413, 424), CmdID still to give. */
  statuses: Status[];
  /** Alert 1225 for an object cut off, CmdID still to give. */
  alerts: Alert[];
  /** The object still open after this message (store it in the session). */
  open?: IncomingObject;
}

/** Device Statuses held with an open Results object: a device sending more for one command is not heard further. */
const MAX_HELD_STATUSES = 16;
const NO_END_OF_DATA = 1225;

/** The bytes of a chunk: raw bytes for a binary one, the text's bytes otherwise. */
function chunkBytes(item: Item): number {
  return item.binary ? Buffer.from(item.data ?? '', 'base64').length : objectSize(item.data ?? '');
}

/**
 * What the server takes in chunks from a device: Results, and a Replace of DevInfo/DevDetail leaves (package 1). Any
 * other chunked command is not buffered: it is answered at once, as it would be whole (405).
 */
export interface ChunkRules {
  accepts(command: Results | ItemCommand): boolean;
  /** The largest object assembled (bytes): MaxObjSize, smaller for a Replace of device information. */
  maxObjSize(command: Results | ItemCommand): number;
}

type Chunked = Results | (ItemCommand & { kind: 'Replace' | 'Add' });

const uriOf = (item: Item | undefined): string | undefined => item?.source?.locUri ?? item?.target?.locUri;

function isChunkCarrier(command: Command): command is Chunked {
  return command.kind === 'Results' || command.kind === 'Replace' || command.kind === 'Add';
}

/** Whether `status` answers the server command a Results object answers. */
function namesCommand(results: Results, status: Status): boolean {
  return status.cmdRef === results.cmdRef && (results.msgRef === undefined || status.msgRef === results.msgRef);
}

/** Smallest chunk before the last: empty or tiny chunks would cost a session-record write each for next to nothing. */
const MIN_CHUNK_BYTES = 64;

function minChunk(limit: number): number {
  return Math.min(MIN_CHUNK_BYTES, Math.floor(limit / MAX_CHUNKS));
}

function continues(open: IncomingObject, command: Command): command is Chunked {
  if (!isChunkCarrier(command) || command.kind !== open.command.kind || uriOf(command.items[0]) !== open.uri) return false;
  if (command.kind !== 'Results' || open.command.kind !== 'Results') return true;
  return command.cmdRef === open.command.cmdRef && (command.msgRef === undefined || open.command.msgRef === undefined || command.msgRef === open.command.msgRef);
}

/**
 * Takes the chunks out of one device message. `open`: the object left open by the previous message; `msgId`: the
 * message's MsgID (the answers' MsgRef). A chunk before the last must carry at least MIN_CHUNK_BYTES (less for tiny
 * object limits).
 */
export function takeChunks(body: readonly Command[], open: IncomingObject | undefined, msgId: string, rules: ChunkRules): ChunkOutcome {
  const out: ChunkOutcome = { answers: [], commands: [], statuses: [], alerts: [] };
  let pending = open;
  let continued = false;

  const chunkStatus = (command: Chunked, uri: string, code: number): Status => {
    const item = command.items.find((candidate) => uriOf(candidate) === uri);
    return {
      kind: 'Status', cmdId: '', msgRef: msgId, cmdRef: command.cmdId, cmd: command.kind,
      targetRefs: item?.target ? [item.target.locUri] : [], sourceRefs: item?.source ? [item.source.locUri] : [], items: [], data: code,
    };
  };

  /** A Results object that failed: its command answered with `code` on the object's node, the Items before it kept. */
  const failResults = (object: IncomingObject, code: number): void => {
    if (object.command.kind !== 'Results') return;
    const results = object.command;
    const msgRef = results.msgRef ?? object.statuses[0]?.msgRef ?? '';
    const failure: Status = { kind: 'Status', cmdId: '', msgRef, cmdRef: results.cmdRef, cmd: 'Get', targetRefs: [object.uri], sourceRefs: [], items: [], data: code };
    out.answers.push(failure, ...object.statuses);
    if (results.items.length > 0) out.answers.push(results);
    object.statuses = [];
  };

  const deliver = (command: Chunked, items: Item[], held: Status[]): void => {
    if (command.kind === 'Results') out.answers.push(...held, { ...command, items });
    else out.commands.push({ ...command, items });
  };

  const refuse = (object: IncomingObject, command: Chunked, last: boolean): void => {
    failResults(object, TOO_LARGE);
    object.refused = TOO_LARGE;
    object.data = '';
    object.bytes = 0;
    out.statuses.push(chunkStatus(command, object.uri, TOO_LARGE));
    pending = last ? undefined : object;
  };

  const start = (command: Chunked, before: Item[], chunk: Item, held: Status[]): void => {
    if (command.kind === 'Results') {
      // The device's Statuses for the server command wait with the object (those earlier in this message too).
      for (const status of out.answers.filter((answer): answer is Status => answer.kind === 'Status' && namesCommand(command, answer))) {
        out.answers.splice(out.answers.indexOf(status), 1);
        held.push(status);
      }
    }
    const { data, moreData: _moreData, binary, ...item } = chunk;
    const uri = uriOf(chunk) ?? '';
    const object: IncomingObject = { command: { ...command, items: before }, item, uri, data: binary ? '' : data ?? '', bytes: chunkBytes(chunk), chunks: 1, statuses: held };
    if (binary) object.binaryParts = [data ?? ''];
    if (chunk.meta?.size !== undefined) object.size = chunk.meta.size;
    pending = object;
    continued = true;
    const limit = rules.maxObjSize(command);
    if ((object.size ?? 0) > limit || object.bytes > limit || object.bytes < minChunk(limit)) refuse(object, command, false);
    else out.statuses.push(chunkStatus(command, uri, CHUNK_ACCEPTED));
  };

  /** `done`: Items already whole; `rest`: those still to look at (the last may start an object). */
  const startOrDeliver = (command: Chunked, done: Item[], rest: Item[], held: Status[]): void => {
    const last = rest.at(-1);
    if (last?.moreData) start(command, [...done, ...rest.slice(0, -1)], last, held);
    else deliver(command, [...done, ...rest], held);
  };

  const continueObject = (object: IncomingObject, command: Chunked): void => {
    continued = true;
    const [chunk, ...rest] = command.items;
    const last = !chunk.moreData || rest.length > 0;
    if (object.refused !== undefined) {
      out.statuses.push(chunkStatus(command, object.uri, object.refused));
      if (last) pending = undefined;
      return;
    }
    if (object.binaryParts) object.binaryParts.push(chunk.data ?? '');
    else object.data += chunk.data ?? '';
    const bytes = chunkBytes(chunk);
    object.bytes += bytes;
    object.chunks++;
    const limit = rules.maxObjSize(object.command);
    if (object.bytes > limit || object.chunks > MAX_CHUNKS || (!last && bytes < minChunk(limit))) return refuse(object, command, last);
    if (!last) {
      out.statuses.push(chunkStatus(command, object.uri, CHUNK_ACCEPTED));
      return;
    }
    pending = undefined;
    if (object.size !== undefined && object.size !== object.bytes) {
      failResults(object, SIZE_MISMATCH);
      out.statuses.push(chunkStatus(command, object.uri, SIZE_MISMATCH));
      return;
    }
    const data = object.binaryParts ? Buffer.concat(object.binaryParts.map((part) => Buffer.from(part, 'base64'))).toString('base64') : object.data;
    const whole: Item = { ...object.item, data, ...(object.binaryParts ? { binary: true } : {}) };
    if (whole.meta?.size !== undefined) {
      const { size: _size, ...meta } = whole.meta;
      whole.meta = meta;
    }
    startOrDeliver({ ...object.command, ...command, items: [] } as Chunked, [...object.command.items, whole], rest, object.statuses);
  };

  const cutOff = (object: IncomingObject): void => {
    const location = object.item.source ? { source: object.item.source } : { target: object.item.target ?? { locUri: object.uri } };
    out.alerts.push({ kind: 'Alert', cmdId: '', data: NO_END_OF_DATA, items: [location] });
    if (object.refused === undefined) failResults(object, SIZE_MISMATCH);
    pending = undefined;
  };

  for (const command of body) {
    if (pending !== undefined) {
      if (continues(pending, command)) {
        continueObject(pending, command);
        continue;
      }
      if (command.kind === 'Status') {
        const held = pending.command.kind === 'Results' && pending.refused === undefined && namesCommand(pending.command, command);
        if (!held) out.answers.push(command);
        else if (pending.statuses.length < MAX_HELD_STATUSES) pending.statuses.push(command);
        continue;
      }
      if (command.kind === 'Alert' && command.data === 1222) {
        out.commands.push(command);
        continue;
      }
      // Only the open object's next chunk may come before its end; this is something else.
      cutOff(pending);
    }
    if (command.kind === 'Status') out.answers.push(command);
    else if (isChunkCarrier(command) && !('noResp' in command && command.noResp) && command.items.at(-1)?.moreData) {
      if (rules.accepts(command)) startOrDeliver(command, [], command.items, []);
      else if (command.kind === 'Results') out.answers.push(command);
      else out.commands.push(command);
    }
    else if (command.kind === 'Results') out.answers.push(command);
    else out.commands.push(command);
  }
  if (pending !== undefined && !continued) cutOff(pending);
  if (pending !== undefined) out.open = pending;
  return out;
}

/**
 * The simulated device's large objects (reference §1.7), on with `maxObjSize`: Results too big for the server's
 * MaxMsgSize go in chunks (Meta Size on the first, MoreData on all but the last, the Items after the object in the
 * message of its last chunk); chunked Replace/Add of the server are buffered (213 per chunk), checked against their
 * Size on the last chunk (424) and carried out whole; an object over MaxObjSize is refused (413), one the server cuts
 * off gets Alert 1225.
 */
import { type Alert, type Command, type Item, type ItemCommand, type Results, type Status, type SyncmlMessage, encodeSyncml } from '../../omadm/v13/codec/index.js';
import { chunkEnd, objectSize } from '../../omadm/v13/session/chunk-text.js';
import { DM_STATUS } from './status-codes.js';

/** Less room than this for Data and no chunk is started in the message. */
const MIN_CHUNK_BYTES = 32;
/** `<Data>…</Data>` is 6 bytes longer than the `<Data/>` measured in its place. */
const DATA_ELEMENT_SLACK = 6;

export interface ResultsSplit {
  /** What goes in this message: the whole Items that fit and the first chunk of the next one. */
  sent: Results;
  /** What is left, for the next message (the rest of the object first). */
  rest: Results;
}

/**
 * Splits a Results that does not fit: `measure` gives the bytes of the message with a Results placed after what it
 * holds, `limit` the server's MaxMsgSize. The object chunked is the first Item that does not fit, or, when that one
 * cannot be (no Data, no room), the one before it when it is an object's rest or the other has no Data, of which a little is kept back so that the Items after it come with its
 * last chunk. `continued`: Items that are the rest of an object (no Size on them); `sizeDelta` is added to Meta Size
 * (a fault). Undefined when not even a minimal chunk fits.
 */
export function splitResults(results: Results, measure: (candidate: Results) => number, limit: number, continued: WeakSet<Item>, sizeDelta = 0): ResultsSplit | undefined {
  let whole = 0;
  while (whole < results.items.length && measure({ ...results, items: results.items.slice(0, whole + 1) }) <= limit) whole++;
  if (whole >= results.items.length) return undefined;
  const split = splitAt(results, whole, measure, limit, continued, sizeDelta);
  if (split || whole === 0) return split;
  const before = results.items[whole - 1];
  const chunkable = (results.items[whole].data ?? '').length >= 2;
  return continued.has(before) || !chunkable ? splitAt(results, whole - 1, measure, limit, continued, sizeDelta) : undefined;
}

function splitAt(results: Results, index: number, measure: (candidate: Results) => number, limit: number, continued: WeakSet<Item>, sizeDelta: number): ResultsSplit | undefined {
  const object = results.items[index];
  const data = object.data ?? '';
  if (data.length < 2) return undefined;
  const first = !continued.has(object);
  const shape = (piece: string): Item => ({ ...object, data: piece, moreData: true, ...(first ? { meta: { ...object.meta, size: objectSize(data) + sizeDelta } } : {}) });
  const room = limit - measure({ ...results, items: [...results.items.slice(0, index), shape('')] }) - DATA_ELEMENT_SLACK;
  if (room < MIN_CHUNK_BYTES) return undefined;
  let end = chunkEnd(data, 0, room);
  // Some of the object stays for the message of its last chunk, with the Items after it.
  if (end >= data.length) end = chunkEnd(data, 0, objectSize(data) - 1);
  if (end === 0) return undefined;
  const remainder: Item = { ...object, data: data.slice(end) };
  delete remainder.moreData;
  continued.add(remainder);
  return {
    sent: { ...results, items: [...results.items.slice(0, index), shape(data.slice(0, end))] },
    rest: { ...results, items: [remainder, ...results.items.slice(index + 1)] },
  };
}

/** The size `results` would add to `message` (the bytes of the message with it). */
export function measureWith(message: SyncmlMessage): (candidate: Results) => number {
  return (candidate) => Buffer.byteLength(encodeSyncml({ ...message, body: [...message.body, candidate], final: true }));
}

interface OpenObject {
  command: ItemCommand;
  /** Items before the object: carried out with it. */
  before: Item[];
  item: Item;
  uri: string;
  size?: number;
  data: string;
  refused?: number;
}

/** What the device answers to the server's commands of one message: as-is ones to run, and its own answers. */
export interface IncomingSplit {
  /** Commands to carry out (a chunked one whole once its last chunk came). */
  run: Command[];
  /** Statuses (213, 413, 424) and Alert 1225 the device sends itself, CmdID still to give. */
  answers: Array<Status | Alert>;
  /** Chunks received, for the event stream. */
  chunks: Array<{ cmd: string; path: string; bytes: number; status: number }>;
}

const uriOf = (item: Item | undefined): string => item?.target?.locUri ?? '';

/** The server's chunked Replace/Add across its messages. */
export class IncomingObjects {
  private open: OpenObject | undefined;

  constructor(private readonly maxObjSize: number) {}

  take(commands: readonly Command[], msgRef: string): IncomingSplit {
    const out: IncomingSplit = { run: [], answers: [], chunks: [] };
    let continued = false;
    const status = (command: ItemCommand, uri: string, code: number): Status => ({
      kind: 'Status', cmdId: '', msgRef, cmdRef: command.cmdId, cmd: command.kind, targetRefs: [uri], sourceRefs: [], items: [], data: code,
    });
    for (const command of commands) {
      const open = this.open;
      if (open && (command.kind === 'Replace' || command.kind === 'Add') && command.kind === open.command.kind && uriOf(command.items[0]) === open.uri) {
        continued = true;
        const [chunk, ...rest] = command.items;
        const last = !chunk.moreData || rest.length > 0;
        const bytes = objectSize(chunk.data ?? '');
        let code: number = DM_STATUS.chunkAccepted;
        if (open.refused === undefined) open.data += chunk.data ?? '';
        if (open.refused !== undefined) code = open.refused;
        else if (objectSize(open.data) > this.maxObjSize) code = open.refused = DM_STATUS.tooLarge;
        else if (last && open.size !== undefined && open.size !== objectSize(open.data)) code = DM_STATUS.sizeMismatch;
        out.chunks.push({ cmd: command.kind, path: open.uri, bytes, status: last && code === DM_STATUS.chunkAccepted ? 200 : code });
        if (!last) {
          if (code !== DM_STATUS.chunkAccepted) open.data = '';
          out.answers.push(status(command, open.uri, code));
          continue;
        }
        this.open = undefined;
        if (code !== DM_STATUS.chunkAccepted) out.answers.push(status(command, open.uri, code));
        else out.run.push({ ...command, items: [...open.before, { ...open.item, data: open.data }, ...rest] });
        continue;
      }
      if (open && !(command.kind === 'Alert' && command.data === 1222)) this.cutOff(out);
      const last = (command.kind === 'Replace' || command.kind === 'Add') ? command.items.at(-1) : undefined;
      if (last?.moreData && (command.kind === 'Replace' || command.kind === 'Add')) {
        continued = true;
        const { data, moreData: _more, ...item } = last;
        if (item.meta?.size !== undefined) {
          const { size: _size, ...meta } = item.meta;
          item.meta = meta;
        }
        const object: OpenObject = { command, before: command.items.slice(0, -1), item, uri: uriOf(last), data: data ?? '' };
        if (last.meta?.size !== undefined) object.size = last.meta.size;
        if ((object.size ?? objectSize(object.data)) > this.maxObjSize || objectSize(object.data) > this.maxObjSize) object.refused = DM_STATUS.tooLarge;
        this.open = object;
        const code = object.refused ?? DM_STATUS.chunkAccepted;
        out.chunks.push({ cmd: command.kind, path: object.uri, bytes: objectSize(object.data), status: code });
        out.answers.push(status(command, object.uri, code));
        continue;
      }
      out.run.push(command);
    }
    if (this.open && !continued) this.cutOff(out);
    return out;
  }

  /** The server sent something else before the object's last chunk: Alert 1225 names it, it is dropped. */
  private cutOff(out: IncomingSplit): void {
    if (!this.open) return;
    out.answers.push({ kind: 'Alert', cmdId: '', data: 1225, items: [{ target: { locUri: this.open.uri } }] });
    this.open = undefined;
  }
}

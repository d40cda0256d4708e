/**
 * SyncmlMessage → the ordered element tree both encodings write (XML text, WBXML tokens): children in the order of the
 * SyncML RepPro DTD, commands in the given order. Meta's children carry `metinf` (namespace `syncml:metinf`, WBXML
 * code page 1).
 */
import type { Chal, Command, Cred, Item, Location, Meta, SyncHdr, SyncmlMessage } from './model.js';

export interface SyncmlNode {
  name: string;
  /** Character data, or child elements (undefined ones are absent: not filtered out, for speed); '' and [] are an empty element. */
  content: string | Array<SyncmlNode | undefined>;
  metinf?: true;
}

type Part = SyncmlNode | undefined;

const node = (name: string, ...children: Part[]): SyncmlNode => ({ name, content: children });
const text = (name: string, value: string): SyncmlNode => ({ name, content: value });
const optionalText = (name: string, value: string | number | undefined): Part => (value === undefined ? undefined : text(name, String(value)));
const empty = (name: string, present: boolean | undefined): Part => (present ? { name, content: '' } : undefined);

function metinf(name: string, value: string | number | undefined): Part {
  return value === undefined ? undefined : { name, content: String(value), metinf: true };
}

function meta(value: Meta | undefined): Part {
  if (!value) return undefined;
  return node(
    'Meta',
    metinf('Format', value.format),
    metinf('Type', value.type),
    metinf('Mark', value.mark),
    metinf('Size', value.size),
    metinf('Version', value.version),
    metinf('NextNonce', value.nextNonce),
    metinf('MaxMsgSize', value.maxMsgSize),
    metinf('MaxObjSize', value.maxObjSize),
  );
}

function location(name: 'Target' | 'Source', value: Location | undefined): Part {
  return value ? node(name, text('LocURI', value.locUri), optionalText('LocName', value.locName)) : undefined;
}

function item(value: Item): SyncmlNode {
  return node('Item', location('Target', value.target), location('Source', value.source), meta(value.meta), optionalText('Data', value.data), empty('MoreData', value.moreData));
}

const cred = (value: Cred | undefined): Part => (value ? node('Cred', meta(value.meta), text('Data', value.data)) : undefined);
const chal = (value: Chal | undefined): Part => (value ? node('Chal', meta(value.meta)) : undefined);
const refs = (name: string, values: string[]) => values.map((value) => text(name, value));

function command(value: Command): SyncmlNode {
  const cmdId = text('CmdID', value.cmdId ?? '');
  switch (value.kind) {
    case 'Add':
    case 'Replace':
    case 'Delete':
    case 'Get':
    case 'Copy':
      return node(value.kind, cmdId, empty('NoResp', value.noResp), meta(value.meta), ...value.items.map(item));
    case 'Alert':
      return node('Alert', cmdId, empty('NoResp', value.noResp), text('Data', String(value.data)), optionalText('Correlator', value.correlator), ...value.items.map(item));
    case 'Exec':
      return node('Exec', cmdId, empty('NoResp', value.noResp), meta(value.meta), optionalText('Correlator', value.correlator), item(value.item));
    case 'Status':
      return node(
        'Status',
        cmdId,
        text('MsgRef', value.msgRef),
        text('CmdRef', value.cmdRef),
        text('Cmd', value.cmd),
        ...refs('TargetRef', value.targetRefs),
        ...refs('SourceRef', value.sourceRefs),
        chal(value.chal),
        ...value.items.map(item),
        text('Data', String(value.data)),
      );
    case 'Results':
      return node(
        'Results',
        cmdId,
        optionalText('MsgRef', value.msgRef),
        text('CmdRef', value.cmdRef),
        meta(value.meta),
        ...refs('TargetRef', value.targetRefs),
        ...refs('SourceRef', value.sourceRefs),
        ...value.items.map(item),
      );
    case 'Atomic':
    case 'Sequence':
      return node(value.kind, cmdId, empty('NoResp', value.noResp), meta(value.meta), ...value.commands.map(command));
    case 'Unknown':
      throw new TypeError(`<${value.name}> is not a command this codec can write`);
  }
}

function header(value: SyncHdr): SyncmlNode {
  return node(
    'SyncHdr',
    text('VerDTD', value.verDtd),
    text('VerProto', value.verProto),
    text('SessionID', value.sessionId),
    text('MsgID', value.msgId),
    location('Target', value.target),
    location('Source', value.source),
    optionalText('RespURI', value.respUri),
    empty('NoResp', value.noResp),
    cred(value.cred),
    meta(value.meta),
  );
}

/** The `<SyncML>` element (its namespace is the encoding's business). */
export function syncmlTree(message: SyncmlMessage): SyncmlNode {
  return node('SyncML', header(message.header), node('SyncBody', ...message.body.map(command), empty('Final', message.final)));
}

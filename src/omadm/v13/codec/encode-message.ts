/** SyncmlMessage → SyncML DM XML text, children in the order of the SyncML RepPro DTD and commands in the given order. */
import type { Chal, Command, Cred, Item, Location, Meta, SyncHdr, SyncmlMessage } from './model.js';
import { element, emptyElement, optionalTextElement, textElement } from './xml-text.js';

const METINF = 'syncml:metinf';

function encodeMeta(meta: Meta | undefined): string {
  if (!meta) return '';
  const fields = [
    optionalTextElement('Format', meta.format, METINF),
    optionalTextElement('Type', meta.type, METINF),
    optionalTextElement('Mark', meta.mark, METINF),
    optionalTextElement('Size', meta.size, METINF),
    optionalTextElement('Version', meta.version, METINF),
    optionalTextElement('NextNonce', meta.nextNonce, METINF),
    optionalTextElement('MaxMsgSize', meta.maxMsgSize, METINF),
    optionalTextElement('MaxObjSize', meta.maxObjSize, METINF),
  ];
  return `<Meta>${fields.join('')}</Meta>`;
}

function encodeLocation(name: 'Target' | 'Source', location: Location | undefined): string {
  if (!location) return '';
  return element(name, textElement('LocURI', location.locUri) + optionalTextElement('LocName', location.locName));
}

function encodeItem(item: Item): string {
  return element(
    'Item',
    encodeLocation('Target', item.target) +
      encodeLocation('Source', item.source) +
      encodeMeta(item.meta) +
      optionalTextElement('Data', item.data) +
      emptyElement('MoreData', item.moreData),
  );
}

const encodeItems = (items: Item[]) => items.map(encodeItem).join('');

function encodeCred(cred: Cred | undefined): string {
  return cred ? element('Cred', encodeMeta(cred.meta) + textElement('Data', cred.data)) : '';
}

function encodeChal(chal: Chal | undefined): string {
  return chal ? element('Chal', encodeMeta(chal.meta)) : '';
}

const refs = (name: string, values: string[]) => values.map((value) => textElement(name, value)).join('');
const head = (cmdId: string, noResp: boolean | undefined) => textElement('CmdID', cmdId) + emptyElement('NoResp', noResp);

function encodeCommand(command: Command): string {
  switch (command.kind) {
    case 'Add':
    case 'Replace':
    case 'Delete':
    case 'Get':
    case 'Copy':
      return element(command.kind, head(command.cmdId, command.noResp) + encodeMeta(command.meta) + encodeItems(command.items));
    case 'Alert':
      return element(
        'Alert',
        head(command.cmdId, command.noResp) + textElement('Data', String(command.data)) + optionalTextElement('Correlator', command.correlator) + encodeItems(command.items),
      );
    case 'Exec':
      return element(
        'Exec',
        head(command.cmdId, command.noResp) + encodeMeta(command.meta) + optionalTextElement('Correlator', command.correlator) + encodeItem(command.item),
      );
    case 'Status':
      return element(
        'Status',
        textElement('CmdID', command.cmdId) +
          textElement('MsgRef', command.msgRef) +
          textElement('CmdRef', command.cmdRef) +
          textElement('Cmd', command.cmd) +
          refs('TargetRef', command.targetRefs) +
          refs('SourceRef', command.sourceRefs) +
          encodeChal(command.chal) +
          encodeItems(command.items) +
          textElement('Data', String(command.data)),
      );
    case 'Results':
      return element(
        'Results',
        textElement('CmdID', command.cmdId) +
          optionalTextElement('MsgRef', command.msgRef) +
          textElement('CmdRef', command.cmdRef) +
          encodeMeta(command.meta) +
          refs('TargetRef', command.targetRefs) +
          refs('SourceRef', command.sourceRefs) +
          encodeItems(command.items),
      );
    case 'Atomic':
    case 'Sequence':
      return element(command.kind, head(command.cmdId, command.noResp) + encodeMeta(command.meta) + command.commands.map(encodeCommand).join(''));
    case 'Unknown':
      throw new TypeError(`<${command.name}> is not a command this codec can write`);
  }
}

function encodeHeader(header: SyncHdr): string {
  return element(
    'SyncHdr',
    textElement('VerDTD', header.verDtd) +
      textElement('VerProto', header.verProto) +
      textElement('SessionID', header.sessionId) +
      textElement('MsgID', header.msgId) +
      encodeLocation('Target', header.target) +
      encodeLocation('Source', header.source) +
      optionalTextElement('RespURI', header.respUri) +
      emptyElement('NoResp', header.noResp) +
      encodeCred(header.cred) +
      encodeMeta(header.meta),
  );
}

/** UTF-8 XML text; the default namespace follows VerDTD (`SYNCML:SYNCML1.2`). */
export function encodeSyncml(message: SyncmlMessage): string {
  const body = message.body.map(encodeCommand).join('') + emptyElement('Final', message.final);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<SyncML xmlns="SYNCML:SYNCML${message.header.verDtd}">${encodeHeader(message.header)}<SyncBody>${body}</SyncBody></SyncML>`
  );
}

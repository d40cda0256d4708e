import type { Chal, Command, Cred, Status, SyncHdr, SyncmlMessage } from '../codec/index.js';

/** Numbers the commands of one server message (CmdIDs restart at 1 in every message). */
export class CmdIds {
  private last = 0;

  next(): string {
    return String(++this.last);
  }
}

/** The Status for the device's SyncHdr: CmdRef 0, the refs echoing the header as received. */
export function headerStatus(received: SyncHdr, ids: CmdIds, code: number, chal?: Chal): Status {
  const status: Status = {
    kind: 'Status', cmdId: ids.next(), msgRef: received.msgId, cmdRef: '0', cmd: 'SyncHdr',
    targetRefs: [received.target.locUri], sourceRefs: [received.source.locUri], items: [], data: code,
  };
  if (chal) status.chal = chal;
  return status;
}

/** The commands of a device message that are owed a Status (not Status/Results, not NoResp, not one without a CmdID). */
export function answerable(body: readonly Command[]): Array<Exclude<Command, { kind: 'Status' | 'Results' }>> {
  return body.filter((command): command is Exclude<Command, { kind: 'Status' | 'Results' }> => {
    if (command.kind === 'Status' || command.kind === 'Results') return false;
    if (command.kind === 'Unknown') return command.cmdId !== undefined;
    return !command.noResp;
  });
}

/** The Status for one device command, naming the Items' source/target URIs. */
export function commandStatus(command: Exclude<Command, { kind: 'Status' | 'Results' }>, msgRef: string, ids: CmdIds, code: number): Status {
  const items = command.kind === 'Exec' ? [command.item] : 'items' in command ? command.items : [];
  const sourceRefs = items.flatMap((item) => (item.source ? [item.source.locUri] : []));
  const targetRefs = items.flatMap((item) => (item.target ? [item.target.locUri] : []));
  const cmd = command.kind === 'Unknown' ? command.name : command.kind;
  return { kind: 'Status', cmdId: ids.next(), msgRef, cmdRef: command.cmdId ?? '', cmd, targetRefs, sourceRefs, items: [], data: code };
}

export interface AnswerHeader {
  received: SyncHdr;
  msgId: number;
  respUri?: string;
  cred?: Cred;
  /** What the server accepts from the device (bytes). */
  maxMsgSize: number;
  /** The largest object the server assembles from chunks (bytes). */
  maxObjSize?: number;
}

/** A server message of the session the device's `received` header belongs to. */
export function serverMessage(header: AnswerHeader, body: Command[], final: boolean): SyncmlMessage {
  const { received } = header;
  const syncHdr: SyncHdr = {
    verDtd: received.verDtd,
    verProto: received.verProto,
    sessionId: received.sessionId,
    msgId: String(header.msgId),
    target: { locUri: received.source.locUri },
    source: { locUri: received.target.locUri },
    meta: { maxMsgSize: header.maxMsgSize, ...(header.maxObjSize === undefined ? {} : { maxObjSize: header.maxObjSize }) },
  };
  if (header.respUri !== undefined) syncHdr.respUri = header.respUri;
  if (header.cred !== undefined) syncHdr.cred = header.cred;
  return { header: syncHdr, body, final };
}

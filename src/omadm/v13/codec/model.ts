/**
 * SyncML DM 1.2/1.3 messages as the session engine reads and writes them (OMA SyncML RepPro, DM protocol).
 * Identifiers (SessionID, MsgID, CmdID, MsgRef, CmdRef) stay strings: clients send `0`, UUIDs and reused ids.
 */

export type VerDtd = '1.2' | '1.3';
export type VerProto = 'DM/1.2' | 'DM/1.3';

/** Target or Source of a header or Item. */
export interface Location {
  locUri: string;
  locName?: string;
}

/** Meta information (namespace `syncml:metinf`); `format` is lower case when it is one of the known formats. */
export interface Meta {
  format?: string;
  type?: string;
  mark?: string;
  size?: number;
  nextNonce?: string;
  version?: string;
  maxMsgSize?: number;
  maxObjSize?: number;
}

export interface Cred {
  meta: Meta;
  data: string;
}

/** A challenge in a Status: the authentication type, format and NextNonce the sender wants. */
export interface Chal {
  meta: Meta;
}

export interface Item {
  target?: Location;
  source?: Location;
  meta?: Meta;
  /** Text as received, control characters included; absent when the Item has no Data element. */
  data?: string;
  moreData?: boolean;
  /** The Data came as binary (WBXML OPAQUE of Format bin) and `data` is its base64: its size counts the raw bytes. */
  binary?: boolean;
}

export interface SyncHdr {
  verDtd: VerDtd;
  verProto: VerProto;
  sessionId: string;
  msgId: string;
  target: Location;
  source: Location;
  respUri?: string;
  noResp?: boolean;
  cred?: Cred;
  meta?: Meta;
}

interface CommandBase {
  cmdId: string;
  noResp?: boolean;
}

/** Add, Replace, Delete, Get and Copy share one shape. */
export interface ItemCommand extends CommandBase {
  kind: 'Add' | 'Replace' | 'Delete' | 'Get' | 'Copy';
  meta?: Meta;
  items: Item[];
}

export interface Alert extends CommandBase {
  kind: 'Alert';
  /** The alert code (1201, 1222, 1226...). */
  data: number;
  correlator?: string;
  items: Item[];
}

export interface Exec extends CommandBase {
  kind: 'Exec';
  correlator?: string;
  meta?: Meta;
  item: Item;
}

export interface Status {
  kind: 'Status';
  cmdId: string;
  msgRef: string;
  /** `0` answers the SyncHdr (also when a client left CmdRef out of its header Status). */
  cmdRef: string;
  cmd: string;
  targetRefs: string[];
  sourceRefs: string[];
  chal?: Chal;
  items: Item[];
  /** The status code. */
  data: number;
}

export interface Results {
  kind: 'Results';
  cmdId: string;
  /** Optional in the DTD: absent means the message that carried the referenced command is the one answered. */
  msgRef?: string;
  cmdRef: string;
  meta?: Meta;
  targetRefs: string[];
  sourceRefs: string[];
  items: Item[];
}

/** Atomic and Sequence: nested commands in document order. */
export interface CommandGroup extends CommandBase {
  kind: 'Atomic' | 'Sequence';
  meta?: Meta;
  commands: Command[];
}

/** A command this codec does not know (a DS command such as Sync or Map...): kept so the session can answer it. */
export interface UnknownCommand {
  kind: 'Unknown';
  name: string;
  cmdId?: string;
}

export type Command = ItemCommand | Alert | Exec | Status | Results | CommandGroup | UnknownCommand;

export interface SyncmlMessage {
  header: SyncHdr;
  /** SyncBody's commands in document order. */
  body: Command[];
  /** `<Final/>` present: the last message of its package. */
  final: boolean;
}

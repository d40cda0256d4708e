import type { SessionAuthState } from '../auth/index.js';
import type { VerDtd, VerProto } from '../codec/index.js';
import type { RecordStore } from '../../../store/record-store.js';
import { IdleSessionStore } from '../../common/idle-session-store.js';
import type { QueuedDmCommand } from './command-queue.js';
import type { IncomingObject } from './incoming-chunks.js';
import type { OutgoingChunks } from './outgoing-chunks.js';

/** A command the server sent in this session, waiting for the device's Status. */
export interface SentCommand {
  entry: QueuedDmCommand;
  /** The server's MsgID that carried it and the CmdIDs it got there (a group's inner commands too). */
  msgId: string;
  cmdIds: string[];
  /** Its object goes in chunks and some are still to send: until the last one, msgId and cmdIds name the latest chunk. */
  chunks?: OutgoingChunks;
}

/** What the server remembers of one DM session between the device's messages (kept in the store). */
export interface DmSessionRecord {
  devId: string;
  sessionId: string;
  /**
   * Random secret of the session, given in the RespURI (`?s=`): a later message continues the authenticated session
   * only with it (or with valid Cred again); DevId and SessionID alone are the device's choice, anyone can send them.
   */
  token: string;
  verDtd: VerDtd;
  verProto: VerProto;
  /** Epoch ms of the device's last message. */
  lastActivity: number;
  auth: SessionAuthState;
  /** The NextNonce given to a device the enrolment rule admits before its first success (not stored as a credential yet). */
  enrolNonce?: string;
  /** The device answered the server's Cred with 212: no more server Cred this session. */
  serverAuthenticated: boolean;
  /** Times the device refused the server's Cred in this session (absent: none; records stored before it existed too). */
  serverRefusals?: number;
  /** The device's latest verdict on the server's Cred was a refusal: no commands go out until it accepts one. */
  refusingServer?: boolean;
  /** Epoch ms of the session's first authenticated message. */
  openedAt?: number;
  /** The server's last MsgID in this session. */
  msgId: number;
  /** The device's MaxMsgSize (bytes), when it announced one. */
  maxMsgSize?: number;
  /** The device's MaxObjSize (bytes), when it announced one: no larger object is sent to it. */
  maxObjSize?: number;
  /** An object the device is sending in chunks, kept until its last chunk (a restart in between loses nothing). */
  incoming?: IncomingObject;
  /** Alert 1200/1201 seen: package 1 is being received. */
  package1: boolean;
  /** The device's node was published for this session's package 1. */
  published: boolean;
  /** DevInfo (and DevDetail) leaves the device reported, by node URI. */
  devInfo: Record<string, string>;
  sent: SentCommand[];
  /** The last answer held a command back for the next message (it did not fit after the answers): not again. */
  deferred?: boolean;
}

/** The authenticated session of each DevId (one open session per device: a new one replaces it). */
export class DmSessionStore extends IdleSessionStore<DmSessionRecord> {
  constructor(records: RecordStore<DmSessionRecord>, idleMs: number, onExpired: (record: DmSessionRecord) => void) {
    super(records, idleMs, onExpired, (stored, held) => stored.sessionId === held.sessionId);
  }

  /** The commands the device's stored session sent and awaits answers to (read only). */
  async sentEntries(devId: string): Promise<QueuedDmCommand[]> {
    return ((await this.records.get(devId))?.sent ?? []).map((sent) => sent.entry);
  }

  /** The device's open session when it is the one named `sessionId`. */
  async get(devId: string, sessionId: string, now: number): Promise<DmSessionRecord | undefined> {
    const record = await this.current(devId, now);
    return record?.sessionId === sessionId ? record : undefined;
  }
}

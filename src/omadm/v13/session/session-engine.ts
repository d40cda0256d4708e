import { randomBytes } from 'node:crypto';
import type { DeviceDirectory } from '../../../core/device-directory.js';
import { KeyedQueue } from '../../../core/keyed-queue.js';
import type { Logger } from '../../../core/logger.js';
import type { MappingService } from '../../../mappings/types.js';
import type { DmCredentialStore, DmDeviceRecord } from '../../../store/dm-credential-store.js';
import {
  AUTH_STATUS, type EnrolmentRule, type HmacKey, NEW_SESSION_AUTH, sameBytes, serverAuthOutcome, serverCredFor, serverHmacKey,
} from '../auth/index.js';
import { type Alert, type Command, type Results, type Status, type SyncmlEncoding, type SyncmlMessage, encodedByteLength } from '../codec/index.js';
import { CmdIds, answerable, commandStatus, headerStatus, serverMessage } from './answer-parts.js';
import { type AuthFailureLimits, AuthFailureLimiter } from '../../common/auth-failures.js';
import { ChallengedSessions } from './challenged-sessions.js';
import { authenticateClient } from './client-auth.js';
import type { DmCommandQueue, DmServerCommand, QueuedDmCommand } from './command-queue.js';
import { publishDmDevice } from './device-publication.js';
import type { DmSessionEvents } from './session-events.js';
import { type ChunkRules, takeChunks } from './incoming-chunks.js';
import { CHUNK_ACCEPTED } from './chunk-text.js';
import { answeredMidObject, fitChunk, refusedAsTooLarge, tooLargeForDevice } from './outgoing-chunks.js';
import type { DmSessionMetrics, DmSessionOutcome } from './session-metrics.js';
import type { DmSessionRecord, DmSessionStore, SentCommand } from './session-record.js';

export interface SessionEngineDeps {
  credentials: DmCredentialStore;
  enrolment: EnrolmentRule;
  sessions: DmSessionStore;
  queue: DmCommandQueue;
  events: DmSessionEvents;
  metrics: DmSessionMetrics;
  directory: DeviceDirectory;
  mappings: MappingService;
  logger: Logger;
  /** What the server accepts from a device (bytes): announced as the server's MaxMsgSize. */
  maxMsgSize: number;
  /** The largest object the server assembles from a device's chunks (bytes): announced as the server's MaxObjSize. */
  maxObjSize: number;
  now?: () => number;
  authFailureLimits?: AuthFailureLimits;
  /** A session with no message for this long is forgotten (ms): the challenged ones kept in memory. */
  idleMs: number;
}

/** Where the device's message came from: for the RespURI and the node's `mgca`. */
export interface MessageContext {
  /** The URL the device reached the server at, without query (the base of the RespURI). */
  serverUrl: string;
  /** The device's HTTP peer, e.g. `http://127.0.0.1:51234`. */
  peer: string;
  /** The `s` query parameter of the URL the message was posted to (the session token of the RespURI given). */
  sessionToken?: string;
  /** The encoding the device posted in and is answered in: what its MaxMsgSize is measured in. */
  encoding: SyncmlEncoding;
  /** The message's x-syncml-hmac header, if any (an hmac device signs every message). */
  hmac?: string;
  /** The exact bytes received (XML or WBXML): what the device's mac is computed over. */
  body: Buffer;
}

/** The answer to a device's message; `signWith`: the key of its x-syncml-hmac header (to an hmac device), computed over the exact bytes sent. */
export interface DmAnswer {
  message: SyncmlMessage;
  signWith?: HmacKey;
}

/** A device sends one message at a time: more than this many at once is a flood (each holds a connection and memory). */
export const MAX_MESSAGES_WAITING_PER_DEVICE = 4;
/** SyncML status codes the session itself answers with. */
const OK = 200;
const NOT_ALLOWED = 405;
const NOT_SUPPORTED = 406;
/** A client may only send Alert, Replace (DevInfo), Status and Results to a DM server (reference §1.2). */
const DEVICE_INFO_ROOTS = ['./DevInfo/', './DevDetail/'];
/** A device information value assembled from chunks is at most this long (DevInfo leaves are short texts). */
const MAX_DEVICE_INFO_OBJECT = 16 * 1024;
/** When the device announced no MaxMsgSize: what every DM client accepts (libdmclient's 16 KiB). */
const DEFAULT_DEVICE_MAX_MSG_SIZE = 16_384;
/** After this many refusals of the server's Cred in one session no more commands go out in it (a device that refuses forever). */
const MAX_SERVER_REFUSALS = 2;

/**
 * The DM 1.2/1.3 server side of every session: authenticates the device, answers each message, publishes the device
 * on package 1, drains the device's command queue into its packages, and pairs the device's answers with what was
 * sent. One message of a device at a time; the session's state is stored before each answer leaves.
 */
export class SessionEngine {
  private readonly turns = new KeyedQueue();
  /** Messages of each DevId in its turn or waiting for it. */
  private readonly waiting = new Map<string, number>();
  private readonly now: () => number;
  private readonly failures: AuthFailureLimiter;
  private readonly challenged: ChallengedSessions;

  /** What a device may send in chunks: Results, and Replaces of its DevInfo/DevDetail in package 1 (short). */
  private readonly chunkRules: ChunkRules = {
    accepts: (command) => command.kind === 'Results' || (command.kind === 'Replace' && command.items.every((item) => isDeviceInfo(item.source?.locUri ?? item.target?.locUri ?? ''))),
    maxObjSize: (command) => (command.kind === 'Results' ? this.deps.maxObjSize : Math.min(this.deps.maxObjSize, MAX_DEVICE_INFO_OBJECT)),
  };

  constructor(private readonly deps: SessionEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.failures = new AuthFailureLimiter(deps.authFailureLimits);
    this.challenged = new ChallengedSessions(deps.idleMs);
  }

  /** The answer; undefined when too many messages of the device are already waiting (the device gets HTTP 503). */
  async handle(message: SyncmlMessage, context: MessageContext): Promise<DmAnswer | undefined> {
    const devId = message.header.source.locUri;
    this.deps.metrics.messageIn();
    const waiting = this.waiting.get(devId) ?? 0;
    if (waiting >= MAX_MESSAGES_WAITING_PER_DEVICE) return undefined;
    this.waiting.set(devId, waiting + 1);
    try {
      const answer = await this.turns.run(devId, () => this.answer(message, context));
      this.deps.metrics.messageOut();
      return answer;
    } finally {
      const left = (this.waiting.get(devId) ?? 1) - 1;
      if (left === 0) this.waiting.delete(devId);
      else this.waiting.set(devId, left);
    }
  }

  /** Whether the device is in a session: a message of it is being answered, or its stored session is not idle. */
  async inSession(devId: string): Promise<boolean> {
    return this.waiting.has(devId) || (await this.deps.sessions.isOpen(devId, this.now()));
  }

  /** Ends every session idle for longer than DM_SESSION_IDLE_S. */
  async sweepIdle(): Promise<void> {
    const now = this.now();
    this.challenged.sweep(now);
    for (const record of await this.deps.sessions.idle(now)) {
      await this.turns.run(record.devId, () => this.deps.sessions.get(record.devId, record.sessionId, now));
    }
  }

  idle(): Promise<void> {
    return this.turns.idle();
  }

  private async answer(message: SyncmlMessage, context: MessageContext): Promise<DmAnswer> {
    const { header } = message;
    const now = this.now();
    const stored = await this.deps.sessions.get(header.source.locUri, header.sessionId, now);
    // DevId and SessionID are the device's choice: an authenticated session is only continued by who holds its token
    // (or by a message with valid Cred, for devices that ignore RespURI); anyone else is a new, unauthenticated sender.
    const withoutToken = stored !== undefined && stored.auth.authenticated && !sameToken(context.sessionToken, stored.token);
    const checked = withoutToken ? newSession(message, now) : (stored ?? this.challenged.get(header.source.locUri, header.sessionId, now) ?? newSession(message, now));
    const ids = new CmdIds();
    if (!checked.auth.authenticated && this.failures.lockedOut(checked.devId, now)) return { message: this.lockedOut(message, checked, context, ids) };
    const resumed = stored !== undefined && checked === stored && stored.auth.authenticated;
    const signed = { body: context.body, hmac: context.hmac };
    const outcome = await authenticateClient(this.deps.credentials, this.deps.enrolment, header, checked, signed);
    const { device } = outcome;
    // To an hmac device the proxy proves itself by signing its answers, once the device proved who it is (as with a Cred).
    const reply = (answer: SyncmlMessage): DmAnswer => (device?.auth === 'hmac' ? { message: answer, signWith: serverHmacKey(device) } : { message: answer });
    // The Cred proved who sends again: 200, not 212, so a device that ignores RespURI keeps sending its Cred.
    const decision = withoutToken && outcome.decision.kind === 'authenticated' ? { ...outcome.decision, status: 200 as const } : outcome.decision;
    const session = withoutToken && decision.kind === 'authenticated' ? stored : checked;
    session.lastActivity = now;
    if (header.meta?.maxMsgSize) session.maxMsgSize = header.meta.maxMsgSize;
    if (header.meta?.maxObjSize) session.maxObjSize = header.meta.maxObjSize;
    if (decision.kind === 'authenticated') this.failures.succeeded(session.devId);
    else if (device !== undefined) this.failures.failed(session.devId, now);
    const hdrStatus = headerStatus(header, ids, decision.status, 'chal' in decision ? decision.chal : undefined);

    if (decision.kind !== 'authenticated') {
      // Only Status elements: the auth code for the header and for every command; nothing of the message is carried out.
      const body: Command[] = [hdrStatus, ...answerable(message.body).map((command) => commandStatus(command, header.msgId, ids, decision.status))];
      session.msgId++;
      // The authenticated session the message named stays as it was (also when an hmac message of it has a wrong mac).
      if (withoutToken || resumed) return { message: serverMessage(this.answerHeader(message, session, context, undefined), body, true) };
      if (decision.kind === 'refuse') {
        this.deps.metrics.authFailure();
        this.deps.logger.warn({ devId: session.devId, reason: decision.reason, status: decision.status }, 'DM device refused');
        this.challenged.delete(session);
      } else {
        this.challenged.put(session);
      }
      // No server Cred to a sender that has not proved who it is: it would hand out base64(id:secret) or a replayable md5.
      return { message: serverMessage(this.answerHeader(message, session, context, undefined), body, true) };
    }

    if (stored === undefined) await this.opened(session);
    await this.noteServerAuth(message, session, device);
    // Chunks of a large object are buffered; the rest of the session sees the object whole once its last chunk came.
    const chunks = takeChunks(message.body, session.incoming, header.msgId, this.chunkRules);
    if (chunks.open) session.incoming = chunks.open;
    else delete session.incoming;
    const handled = this.pairAnswers(chunks.answers, session);
    const body: Command[] = [hdrStatus];
    let aborted = false;
    for (const command of answerable(chunks.commands)) {
      const code = this.deviceCommand(command, session, handled);
      if (command.kind === 'Alert' && command.data === 1223) aborted = true;
      body.push(commandStatus(command, header.msgId, ids, code));
    }
    for (const answer of [...chunks.statuses, ...chunks.alerts]) body.push({ ...answer, cmdId: ids.next() });
    session.msgId++;
    // What the answers and alerts set off (follow-up commands) is queued before the queue is drained.
    await this.settled(handled);

    // An object still coming in: its next chunk is pulled with Alert 1222, nothing else goes out in between.
    if ((!message.final || chunks.open) && !aborted) {
      body.push({ kind: 'Alert', cmdId: ids.next(), data: 1222, items: [] });
      await this.deps.sessions.put(session);
      return reply(serverMessage(this.answerHeader(message, session, context, device), body, false));
    }
    if (session.package1 && !session.published) {
      await publishDmDevice(this.deps.directory, this.deps.mappings.current(), { devId: session.devId, address: context.peer, leaves: session.devInfo });
      session.published = true;
      await this.settled([this.deps.events.devicePublished?.(session.devId)]);
    }
    if (aborted) {
      await this.endSession(session, 'the device aborted the session (Alert 1223)', 'aborted');
      return reply(serverMessage(this.answerHeader(message, session, context, device), body, true));
    }
    const draft = serverMessage(this.answerHeader(message, session, context, device), body, true);
    const chunking = session.sent.find((sent) => sent.chunks !== undefined);
    const { more, taken } = chunking
      ? this.addNextChunk(draft, session, chunking, ids)
      : mayDrain(session) ? await this.addQueuedCommands(draft, session, ids, context.encoding) : { more: false, taken: [] };
    // Right after a refusal the fresh Cred goes without Final: the device answers with its verdict on it (and Alert
    // 1222), and the requeued commands follow in this session once it accepts it.
    draft.final = !more && !awaitsVerdict(session);
    this.deps.metrics.commandsSent(taken.length);
    // An Alert 1225 in the answer is a command: the device owes it a Status, the session goes on for that.
    if (taken.length === 0 && session.sent.length === 0 && draft.final && chunks.alerts.length === 0) await this.endSession(session, 'the session ended', session.refusingServer ? 'refused' : 'completed');
    // With commands sent, addQueuedCommands stored the session already.
    else if (taken.length === 0) await this.deps.sessions.put(session);
    if (taken.length > 0) this.deps.events.commandsSent(session.devId, taken);
    return reply(draft);
  }

  /** A session just authenticated: out of the challenged ones; it replaces the device's open session, if any. */
  private async opened(session: DmSessionRecord): Promise<void> {
    this.challenged.delete(session);
    session.openedAt = session.lastActivity;
    const previous = await this.deps.sessions.current(session.devId, this.now());
    if (previous !== undefined) await this.endSession(previous, 'the device opened a new session', 'replaced');
  }

  /** Too many failed authentications of the DevId lately: refused without a look at its Cred, a nonce or a store write. */
  private lockedOut(message: SyncmlMessage, session: DmSessionRecord, context: MessageContext, ids: CmdIds): SyncmlMessage {
    const { header } = message;
    const status = header.cred === undefined && context.hmac === undefined ? AUTH_STATUS.missingCredentials : AUTH_STATUS.invalidCredentials;
    this.deps.metrics.authFailure();
    this.deps.logger.warn({ devId: session.devId, status }, 'DM device locked out after repeated authentication failures');
    const body: Command[] = [headerStatus(header, ids, status), ...answerable(message.body).map((command) => commandStatus(command, header.msgId, ids, status))];
    session.msgId++;
    return serverMessage(this.answerHeader(message, session, context, undefined), body, true);
  }

  /** `device`: the authenticated device, whose server Cred goes along until it accepts it; undefined: none. */
  private answerHeader(message: SyncmlMessage, session: DmSessionRecord, context: MessageContext, device: DmDeviceRecord | undefined) {
    const cred = device && !session.serverAuthenticated ? serverCredFor(device) : undefined;
    return {
      received: message.header,
      msgId: session.msgId,
      respUri: `${context.serverUrl}?s=${encodeURIComponent(session.token)}`,
      ...(cred ? { cred } : {}),
      maxMsgSize: this.deps.maxMsgSize,
      maxObjSize: this.deps.maxObjSize,
    };
  }

  /** The device's verdict on the server's Cred (its Status for the server's SyncHdr); `device`: its record read for this message. */
  private async noteServerAuth(message: SyncmlMessage, session: DmSessionRecord, device: DmDeviceRecord | undefined): Promise<void> {
    const status = message.body.find((command): command is Status => command.kind === 'Status' && command.cmdRef === '0');
    if (status === undefined) return;
    const outcome = serverAuthOutcome(status);
    if (outcome.nonceToServer !== undefined) {
      await this.deps.credentials.setNonces(session.devId, { toServer: outcome.nonceToServer });
      // The Cred of this very answer goes over the nonce just given (the record was read before).
      if (device !== undefined) device.nonces = { ...device.nonces, toServer: outcome.nonceToServer };
    }
    if (outcome.verdict === 'session') session.serverAuthenticated = true;
    session.refusingServer = outcome.verdict === 'challenged' || outcome.verdict === 'refused';
    if (!session.refusingServer) return;
    session.serverAuthenticated = false;
    session.serverRefusals = (session.serverRefusals ?? 0) + 1;
    this.deps.logger.warn({ devId: session.devId, status: status.data, refusals: session.serverRefusals }, 'the DM device refused the server\'s credentials');
    await this.requeueRefused(session, status.msgRef ?? String(session.msgId));
  }

  /**
   * The device carried out none of the commands of the message whose server Cred it refused (it answers them 401/407):
   * they are not answered but go back to the front of its queue, for a later message or session with fresh Cred.
   */
  private async requeueRefused(session: DmSessionRecord, msgRef: string): Promise<void> {
    const refused = session.sent.filter((sent) => sent.msgId === msgRef);
    if (refused.length === 0) return;
    session.sent = session.sent.filter((sent) => sent.msgId !== msgRef);
    const wanted = (entry: QueuedDmCommand) => this.deps.events.stillWanted?.(session.devId, entry) ?? true;
    const again = refused.filter((sent) => wanted(sent.entry));
    // Queued again before the session record forgets them: a crash in between sends them twice, never loses them.
    if (again.length > 0) await this.deps.queue.putBack(session.devId, again.map((sent) => sent.entry));
    this.deps.metrics.commandsRequeued(again.length);
    for (const sent of refused) if (!again.includes(sent)) this.deps.events.commandLost(session.devId, sent.entry, 'the device refused the server and its request ended meanwhile');
  }

  /** Status and Results of the device paired with the commands sent, by MsgRef and CmdRef; what handling them still does. */
  private pairAnswers(answers: ReadonlyArray<Status | Results>, session: DmSessionRecord): Array<void | Promise<void>> {
    if (answers.length === 0 || session.sent.length === 0) return [];
    const handled: Array<void | Promise<void>> = [];
    const still = [];
    for (const sent of session.sent) {
      const names = (answer: Status | Results) => (answer.msgRef ?? sent.msgId) === sent.msgId && sent.cmdIds.includes(answer.cmdRef);
      const statuses = answers.filter((answer): answer is Status => answer.kind === 'Status' && answer.cmdRef !== '0' && names(answer));
      if (statuses.length === 0) {
        still.push(sent);
        continue;
      }
      // 213 for a chunk that is not the last: the device buffered it and waits for the next.
      if (sent.chunks !== undefined && statuses.every((status) => status.data === CHUNK_ACCEPTED)) {
        sent.chunks.acknowledged = true;
        still.push(sent);
        continue;
      }
      const midObject = sent.chunks !== undefined;
      delete sent.chunks;
      const results = answers.filter((answer): answer is Results => answer.kind === 'Results' && names(answer));
      this.deps.metrics.commandAnswered();
      handled.push(this.deps.events.commandAnswered(session.devId, sent.entry, { statuses: midObject ? answeredMidObject(statuses) : statuses, results, cmdIds: sent.cmdIds }));
    }
    session.sent = still;
    return handled;
  }

  private async settled(handled: Array<void | Promise<void>>): Promise<void> {
    const failed = await Promise.allSettled(handled);
    for (const outcome of failed) if (outcome.status === 'rejected') this.deps.logger.error({ err: outcome.reason }, 'handling a DM answer or alert failed');
  }

  /** Carries out one command of the device and returns its Status code. */
  private deviceCommand(command: Exclude<Command, { kind: 'Status' | 'Results' }>, session: DmSessionRecord, handled: Array<void | Promise<void>>): number {
    switch (command.kind) {
      case 'Alert':
        return this.alert(command, session, handled);
      case 'Replace': {
        const leaves = command.items.map((item) => ({ uri: item.source?.locUri ?? item.target?.locUri ?? '', data: item.data }));
        if (leaves.some((leaf) => !isDeviceInfo(leaf.uri))) return NOT_ALLOWED;
        for (const leaf of leaves) if (leaf.data !== undefined) session.devInfo[leaf.uri] = leaf.data;
        return OK;
      }
      case 'Unknown':
        return NOT_SUPPORTED;
      default:
        return NOT_ALLOWED;
    }
  }

  private alert(alert: Alert, session: DmSessionRecord, handled: Array<void | Promise<void>>): number {
    switch (alert.data) {
      case 1200:
      case 1201:
        session.package1 = true;
        session.published = false;
        return OK;
      case 1226:
        handled.push(this.deps.events.genericAlert(session.devId, alert));
        return OK;
      case 1222:
      case 1223:
      case 1224:
        return OK;
      default:
        return NOT_SUPPORTED;
    }
  }

  /**
   * Adds the device's queued commands that fit its MaxMsgSize after what `draft` holds (`more` when some are left for a
   * later message). A first command too big for the message goes in chunks when it can (outgoing-chunks.ts), else
   * alone; one with an object over the device's MaxObjSize is not sent but answered 413. Commands past their
   * `notAfter` are dropped and reported lost: a request that expired is not carried out late.
   */
  private async addQueuedCommands(draft: SyncmlMessage, session: DmSessionRecord, ids: CmdIds, encoding: SyncmlEncoding): Promise<{ more: boolean; taken: QueuedDmCommand[] }> {
    const now = this.now();
    const taken: QueuedDmCommand[] = [];
    const expired: QueuedDmCommand[] = [];
    const tooLarge: QueuedDmCommand[] = [];
    let more = false;
    await this.deps.queue.drain(session.devId, async (queued) => {
      expired.push(...queued.filter((entry) => entry.notAfter !== undefined && entry.notAfter < now));
      tooLarge.push(...queued.filter((entry) => !expired.includes(entry) && tooLargeForDevice(entry.command, session.maxObjSize)));
      const waiting = queued.filter((entry) => !expired.includes(entry) && !tooLarge.includes(entry));
      const limit = session.maxMsgSize ?? DEFAULT_DEVICE_MAX_MSG_SIZE;
      const fixed = draft.body.length;
      // A command may wait for the next message once (the device pulls it with 1222), never twice in a row.
      const mayDefer = fixed > 1 && session.deferred !== true;
      delete session.deferred;
      const alone = (command: Command): SyncmlMessage => ({ ...draft, body: [draft.body[0], command] });
      let chunked = false;
      for (const entry of waiting) {
        const cmdIds: string[] = [];
        const numbered = numberCommand(entry.command, ids, cmdIds);
        draft.body.push(numbered);
        const sent: SentCommand = { entry, msgId: String(session.msgId), cmdIds };
        if (encodedByteLength(encoding, draft) > limit) {
          draft.body.pop();
          if (draft.body.length > fixed) break;
          // Chunks only for a device that announced its MaxMsgSize (one that did not gets the value whole, as before).
          const fit = session.maxMsgSize === undefined ? undefined : fitChunk(draft, numbered, 0, limit);
          // The answers to the device's message fill this one: the command (or its first chunk) leads the next.
          const fitsNext = encodedByteLength(encoding, alone(numbered)) <= limit || (fit === undefined && session.maxMsgSize !== undefined && fitChunk(alone(numbered), numbered, 0, limit) !== undefined);
          if (mayDefer && fitsNext) {
            session.deferred = true;
            break;
          }
          // A command that cannot go in chunks (a group, an Exec) still goes alone.
          draft.body.push(fit?.chunk ?? numbered);
          if (fit !== undefined) {
            sent.chunks = { next: fit.end, acknowledged: false };
            chunked = true;
          }
        }
        taken.push(entry);
        session.sent.push(sent);
        if (chunked) break;
      }
      more = chunked || taken.length < waiting.length;
      // Stored with the commands sent before the queue lets go of them: a crash in between sends them twice, never loses them.
      if (taken.length > 0) await this.deps.sessions.put(session);
      return [...taken, ...expired, ...tooLarge].map((entry) => entry.id);
    });
    if (expired.length > 0) this.deps.events.commandsExpired(session.devId, expired);
    await this.settled(tooLarge.map((entry) => {
      this.deps.metrics.commandAnswered();
      return this.deps.events.commandAnswered(session.devId, entry, refusedAsTooLarge(entry.command));
    }));
    return { more, taken };
  }

  /**
   * The next chunk of the command whose object is going out, alone in the message, once the device accepted the
   * previous one (213); `more` until the last chunk is out. Nothing goes while the device's 213 is still owed.
   */
  private addNextChunk(draft: SyncmlMessage, session: DmSessionRecord, sent: SentCommand, ids: CmdIds): { more: boolean; taken: QueuedDmCommand[] } {
    const chunks = sent.chunks!;
    if (!chunks.acknowledged) return { more: false, taken: [] };
    const cmdIds: string[] = [];
    const numbered = numberCommand(sent.entry.command, ids, cmdIds);
    const limit = session.maxMsgSize ?? DEFAULT_DEVICE_MAX_MSG_SIZE;
    // Too little room left even for a chunk in a message of Statuses: the rest goes at once.
    const fit = fitChunk(draft, numbered, chunks.next, limit) ?? fitChunk(draft, numbered, chunks.next, Number.POSITIVE_INFINITY);
    if (fit === undefined) return { more: false, taken: [] };
    draft.body.push(fit.chunk);
    sent.msgId = String(session.msgId);
    sent.cmdIds = cmdIds;
    const last = fit.chunk.items.at(-1)?.moreData !== true;
    if (last) delete sent.chunks;
    else sent.chunks = { next: fit.end, acknowledged: false };
    return { more: !last, taken: [] };
  }

  private async endSession(session: DmSessionRecord, reason: string, outcome: DmSessionOutcome): Promise<void> {
    this.deps.metrics.sessionEnded(session, outcome);
    for (const sent of session.sent) this.deps.events.commandLost(session.devId, sent.entry, reason);
    session.sent = [];
    await this.deps.sessions.end(session);
  }
}

/** No commands go out while the device refuses the server's Cred, nor after it refused it MAX_SERVER_REFUSALS times. */
function mayDrain(session: DmSessionRecord): boolean {
  return !session.refusingServer && (session.serverRefusals ?? 0) < MAX_SERVER_REFUSALS;
}

/** The device refused the server's Cred, not yet MAX_SERVER_REFUSALS times: its verdict on the fresh Cred is asked for. */
function awaitsVerdict(session: DmSessionRecord): boolean {
  return session.refusingServer === true && (session.serverRefusals ?? 0) < MAX_SERVER_REFUSALS;
}

function isDeviceInfo(uri: string): boolean {
  return DEVICE_INFO_ROOTS.some((root) => uri.startsWith(root));
}

function sameToken(received: string | undefined, expected: string): boolean {
  return received !== undefined && sameBytes(Buffer.from(received), Buffer.from(expected));
}

function numberCommand(command: DmServerCommand, ids: CmdIds, cmdIds: string[]): DmServerCommand {
  const cmdId = ids.next();
  cmdIds.push(cmdId);
  if (command.kind === 'Atomic' || command.kind === 'Sequence') {
    return { ...command, cmdId, commands: command.commands.map((inner) => numberCommand(inner as DmServerCommand, ids, cmdIds)) };
  }
  return { ...command, cmdId };
}

function newSession(message: SyncmlMessage, now: number): DmSessionRecord {
  const { header } = message;
  return {
    devId: header.source.locUri,
    sessionId: header.sessionId,
    token: randomBytes(12).toString('base64url'),
    verDtd: header.verDtd,
    verProto: header.verProto,
    lastActivity: now,
    auth: NEW_SESSION_AUTH,
    serverAuthenticated: false,
    msgId: 0,
    package1: false,
    published: false,
    devInfo: {},
    sent: [],
  };
}

/**
 * One management session of the simulated device over HTTP: package 1 (Alert 1201/1200, DevInfo in a Replace, owed
 * Generic Alerts), then a Status for every server command (Results after each Get) until the server sends a final
 * message with nothing to answer. Follows RespURI, resends package 1 on a 401/407 challenge, answers a message without
 * Final with Alert 1222, splits its own packages by the server's MaxMsgSize, stops at Alert 1223. With hmac every
 * message carries an x-syncml-hmac header over its exact body, and every answer's signature is checked.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Alert, type Command, type Item, type ItemCommand, type Results, SYNCML_DM_WBXML, SYNCML_DM_XML, SYNCML_DS_WBXML, SYNCML_DS_XML, type Status,
  type SyncHdr, type SyncmlMessage, decodeSyncmlAs, encodeSyncmlAs, encodedByteLength, syncmlMediaType,
} from '../../omadm/v13/codec/index.js';
import { type HttpPostAnswer, httpPost } from '../common/http-post.js';
import { HMAC_HEADER, type SignedMessage, authTypeOf } from '../../omadm/v13/auth/index.js';
import { type DeviceAuthState, type ServerCheck, checkServer, deviceCred, deviceHmac } from './credentials.js';
import type { DmFaults } from './faults.js';
import { type GenericAlert, genericAlertCommand } from './generic-alert.js';
import { IncomingObjects, measureWith, splitResults } from './large-objects.js';
import type { ResolvedDmOptions } from './options.js';
import { DM_STATUS, isSuccess } from './status-codes.js';
import { type AnswerContext, answerCommand } from './tree-commands.js';

const CONTENT_TYPES = {
  dm: { xml: SYNCML_DM_XML, wbxml: SYNCML_DM_WBXML },
  ds: { xml: SYNCML_DS_XML, wbxml: SYNCML_DS_WBXML },
} as const;

export type SessionResult = 'completed' | 'aborted' | 'auth-failed' | 'dropped' | 'failed' | 'unreachable' | 'stopped';

export interface SessionOutcome {
  sessionId: string;
  result: SessionResult;
  /** Messages the device sent. */
  messages: number;
  /** Generic Alerts the server acknowledged (200/202) in this session. */
  delivered: GenericAlert[];
  reason?: string;
}

export interface SessionRequest {
  /** 1201 client-initiated, 1200 after a trigger. */
  alert: 1200 | 1201;
  sessionId: string;
  alerts: GenericAlert[];
}

/** What a session needs of its device. */
export interface SessionHost {
  options: ResolvedDmOptions;
  auth: DeviceAuthState;
  faults: DmFaults;
  signal: AbortSignal;
  answerContext(msgRef: string): AnswerContext;
  /** The server acknowledged this Generic Alert: it is owed no more. */
  delivered(alert: GenericAlert): void;
  report(event: string, details?: Record<string, unknown>): void;
}

/** Challenges answered in one session before the device gives up (a wrong secret fails every time). */
const MAX_CHALLENGES = 2;
/** A server that never lets the session end (commands or 1222 forever) is left after this many messages. */
const MAX_MESSAGES_PER_SESSION = 1000;
const DEVINFO_LEAVES = ['DevId', 'Man', 'Mod', 'DmV', 'Lang'];

class SessionEnd extends Error {
  constructor(
    readonly result: SessionResult,
    reason: string,
  ) {
    super(reason);
  }
}

export async function runSession(host: SessionHost, request: SessionRequest): Promise<SessionOutcome> {
  return new DmSession(host, request).run();
}

class DmSession {
  private url: string;
  private msgId = 0;
  private received = 0;
  private serverMaxMsgSize: number | undefined;
  private clientAuthenticated = false;
  private serverAuthenticated = false;
  private challenges = 0;
  private queue: Command[] = [];
  /** `msgId:cmdId` of each Generic Alert sent → the alert. */
  private readonly alertsSent = new Map<string, GenericAlert>();
  private readonly delivered: GenericAlert[] = [];
  /** Large objects (with `maxObjSize`): the server's chunked commands being received; Items that are an object's rest. */
  private readonly incoming: IncomingObjects | undefined;
  private readonly continued = new WeakSet<Item>();
  /** Chunks of the object going out sent so far (for the `cutChunksAfter` fault). */
  private objectChunks = 0;

  constructor(
    private readonly host: SessionHost,
    private readonly request: SessionRequest,
  ) {
    this.url = host.options.server;
    if (host.options.maxObjSize !== undefined) this.incoming = new IncomingObjects(host.options.maxObjSize);
  }

  async run(): Promise<SessionOutcome> {
    const { sessionId, alert } = this.request;
    this.host.report('session-started', { sessionId, alert, server: this.host.options.server, alerts: this.request.alerts.length, encoding: this.host.options.encoding, auth: this.host.auth.auth });
    let result: SessionResult = 'completed';
    let reason: string | undefined;
    try {
      await this.exchange();
    } catch (error) {
      result = error instanceof SessionEnd ? error.result : this.host.signal.aborted ? 'stopped' : 'failed';
      reason = (error as Error).message;
    }
    const outcome: SessionOutcome = { sessionId, result, messages: this.msgId, delivered: this.delivered, ...(reason ? { reason } : {}) };
    this.host.report('session-ended', { sessionId, result, messages: this.msgId, ...(reason ? { reason } : {}) });
    return outcome;
  }

  private async exchange(): Promise<void> {
    this.queue = this.package1();
    let headerStatus: Status | undefined;
    let nonceToServer: string | undefined;
    for (;;) {
      if (this.msgId >= MAX_MESSAGES_PER_SESSION) throw new SessionEnd('failed', `the server kept the session open for ${MAX_MESSAGES_PER_SESSION} messages`);
      const message = this.compose(headerStatus);
      if (nonceToServer !== undefined) this.host.auth.nonceToServer = nonceToServer;
      if (this.msgId > 1 && this.host.faults.slowMs > 0) await this.pause(this.host.faults.slowMs);
      const { reply, signed } = await this.post(message);
      this.received++;
      const drop = this.host.faults.dropAfterMessages;
      if (drop !== undefined && this.received >= drop) throw new SessionEnd('dropped', `went silent after ${this.received} server message(s)`);
      if (reply.header.respUri) this.url = reply.header.respUri;
      if (reply.header.meta?.maxMsgSize) this.serverMaxMsgSize = reply.header.meta.maxMsgSize;

      const statuses = reply.body.filter((command): command is Status => command.kind === 'Status');
      this.noteDelivered(statuses);
      const retry = this.clientAuth(statuses.find((status) => status.cmdRef === '0'));
      const check = this.serverCheck(reply.header, signed);
      headerStatus = this.headerStatus(reply.header, check);
      nonceToServer = check.nonceToServer;
      const commands = reply.body.filter((command) => command.kind !== 'Status' && command.kind !== 'Results');
      if (commands.some((command) => command.kind === 'Alert' && command.data === 1223)) throw new SessionEnd('aborted', 'the server sent Alert 1223');
      this.noteChunkAnswers(reply.body);
      const answers = isSuccess(check.code) ? this.answer(commands, reply.header.msgId) : this.refuse(commands, reply.header.msgId, check.code);
      const sending = this.sendingObject();
      if (retry) this.queue = [...answers, ...this.package1()];
      // An object going out: the Statuses go before its next chunk (the chunk ends every message until the last).
      else if (sending) this.queue = [...answers.filter((answer) => answer.kind === 'Status'), ...this.queue, ...answers.filter((answer) => answer.kind !== 'Status')];
      else this.queue = [...this.queue, ...answers];
      if (!reply.final) {
        // The device's next message (its next chunk) is what the server pulls; no Alert 1222 of its own then.
        if (!sending) this.queue.push({ kind: 'Alert', cmdId: '', data: 1222, items: [] });
        continue;
      }
      if (commands.length === 0 && this.queue.length === 0) return;
    }
  }

  private package1(): Command[] {
    const { identity } = this.host.options;
    const values: Record<string, string> = { DevId: identity.devId, Man: identity.man, Mod: identity.mod, DmV: identity.dmVersion, Lang: identity.lang };
    const devInfo: ItemCommand = {
      kind: 'Replace',
      cmdId: '',
      items: DEVINFO_LEAVES.map((name) => ({ source: { locUri: `./DevInfo/${name}` }, meta: { format: 'chr', type: 'text/plain' }, data: values[name] })),
    };
    const start: Alert = { kind: 'Alert', cmdId: '', data: this.request.alert, items: [] };
    const owed = this.request.alerts.filter((alert) => !this.delivered.includes(alert));
    return [start, devInfo, ...owed.map((alert) => Object.assign(genericAlertCommand(alert), { owed: alert }))];
  }

  /** The next message: the header Status first, then queued commands while they fit the server's MaxMsgSize. */
  private compose(headerStatus: Status | undefined): SyncmlMessage {
    this.msgId++;
    let cmdId = 0;
    const numbered = (command: Command): Command => ({ ...command, cmdId: String(++cmdId) }) as Command;
    const body: Command[] = headerStatus ? [numbered(headerStatus)] : [];
    const firstQueued = body.length;
    const header = this.header();
    const limit = this.serverMaxMsgSize;
    this.cutObjectIfDue();
    while (this.queue.length > 0) {
      const next = numbered(this.queue[0]);
      const candidate = { header, body: [...body, next], final: true };
      if (limit !== undefined && encodedByteLength(this.host.options.encoding, candidate) > limit) {
        const split = this.incoming && next.kind === 'Results'
          ? splitResults(next, measureWith({ header, body, final: true }), limit, this.continued, this.host.faults.wrongChunkSize ? 1 : 0)
          : undefined;
        if (split) {
          // A chunk ends the message: the next one starts with the object's rest.
          body.push(split.sent);
          this.queue[0] = split.rest;
          this.objectChunks++;
          const chunk = split.sent.items.at(-1) as Item;
          this.host.report('chunk-sent', { cmd: 'Results', path: chunk.source?.locUri, bytes: Buffer.byteLength(chunk.data ?? ''), size: chunk.meta?.size });
          break;
        }
        if (body.length > firstQueued) {
          cmdId--;
          this.keepStatusWithResults(body, next, firstQueued, () => cmdId--);
          break;
        }
      }
      if (next.kind === 'Results' && next.items.some((item) => this.continued.has(item))) {
        this.host.report('chunk-sent', { cmd: 'Results', path: next.items[0].source?.locUri, bytes: Buffer.byteLength(next.items[0].data ?? ''), last: true });
        this.objectChunks = 0;
      }
      body.push(next);
      this.queue.shift();
      const owed = (next as { owed?: GenericAlert }).owed;
      if (owed) {
        this.alertsSent.set(`${this.msgId}:${next.kind === 'Alert' ? next.cmdId : ''}`, owed);
        this.host.report('generic-alert-sent', { correlator: owed.correlator, type: owed.type, data: owed.data, source: owed.source });
      }
    }
    return { header, body: body.map(stripOwed), final: this.queue.length === 0 };
  }

  private header(): SyncHdr {
    const { options, auth } = this.host;
    const header: SyncHdr = {
      verDtd: '1.2',
      verProto: options.version === '1.3' ? 'DM/1.3' : 'DM/1.2',
      sessionId: this.request.sessionId,
      msgId: String(this.msgId),
      target: { locUri: options.server },
      source: options.user === undefined ? { locUri: options.devId } : { locUri: options.devId, locName: options.user },
      meta: { maxMsgSize: options.maxMsgSize, ...(options.maxObjSize === undefined ? {} : { maxObjSize: options.maxObjSize }) },
    };
    const secret = this.secret();
    if (options.user !== undefined && secret !== undefined && !this.clientAuthenticated) {
      const cred = deviceCred(auth, options.user, secret);
      if (cred) header.cred = cred;
    }
    return header;
  }

  /** The secret the device proves itself with (a wrong one under the wrongSecret fault); undefined: it sends no proof. */
  private secret(): string | undefined {
    const { options, faults } = this.host;
    if (options.secret === undefined || faults.omitCred) return undefined;
    return faults.wrongSecret ? `${options.secret}-wrong` : options.secret;
  }

  private async post(message: SyncmlMessage): Promise<{ reply: SyncmlMessage; signed: SignedMessage }> {
    const { options, signal, auth } = this.host;
    const contentType = CONTENT_TYPES[options.mediaType][options.encoding];
    const encoded = encodeSyncmlAs(options.encoding, message);
    const body = typeof encoded === 'string' ? Buffer.from(encoded) : encoded;
    const secret = this.secret();
    const headers: Record<string, string> = { 'content-type': contentType, accept: contentType };
    if (auth.auth === 'hmac' && options.user !== undefined && secret !== undefined) headers[HMAC_HEADER] = deviceHmac(auth, options.user, secret, body);
    let response: HttpPostAnswer;
    try {
      response = await httpPost(this.url, {
        headers,
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.requestTimeoutMs)]),
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      });
    } catch (error) {
      if (signal.aborted) throw new SessionEnd('stopped', 'the device was stopped');
      throw new SessionEnd('unreachable', `${this.url}: ${causeOf(error)}`);
    }
    const bytes = response.body;
    if (response.status !== 200) throw new SessionEnd('failed', `HTTP ${response.status} from ${this.url}`);
    const answerContentType = headerText(response.headers['content-type']);
    const answerType = syncmlMediaType(answerContentType);
    if (answerType === undefined) {
      throw new SessionEnd('failed', `the answer's Content-Type is ${answerContentType ?? 'missing'}, not SyncML`);
    }
    if (bytes.length > options.maxMsgSize) this.host.report('oversize-message', { bytes: bytes.length, maxMsgSize: options.maxMsgSize });
    const hmac = headerText(response.headers[HMAC_HEADER]);
    try {
      return { reply: decodeSyncmlAs(answerType.encoding, bytes), signed: { body: bytes, hmac } };
    } catch (error) {
      throw new SessionEnd('failed', `undecodable answer: ${(error as Error).message}`);
    }
  }

  /** The server's verdict on the device's Cred; true when package 1 must be sent again (a challenge). */
  private clientAuth(status: Status | undefined): boolean {
    if (status === undefined) return false;
    const nonce = status.chal?.meta.nextNonce;
    if (status.data === DM_STATUS.authAccepted || status.data === DM_STATUS.ok) {
      if (nonce !== undefined) this.host.auth.serverNonce = nonce;
      if (status.data === DM_STATUS.authAccepted && !this.clientAuthenticated) {
        this.clientAuthenticated = true;
        this.host.report('authenticated', { status: status.data });
      }
      return false;
    }
    const challenged = status.data === DM_STATUS.invalidCredentials || status.data === DM_STATUS.missingCredentials;
    const requested = authTypeOf(status.chal?.meta.type);
    if (!challenged || requested === undefined || this.challenges >= MAX_CHALLENGES) {
      throw new SessionEnd('auth-failed', `the server answered the header with ${status.data}${status.chal ? '' : ' and no Chal'}`);
    }
    this.challenges++;
    this.host.auth.auth = requested;
    if (nonce !== undefined) this.host.auth.serverNonce = nonce;
    this.host.report('challenged', { status: status.data, type: requested });
    return true;
  }

  /** The device's verdict on the server's answer: its Cred until the device accepted one; with hmac, every answer's signature. */
  private serverCheck(header: SyncHdr, signed: SignedMessage): ServerCheck {
    const { serverSecret, serverId } = this.host.options;
    const hmac = this.host.auth.auth === 'hmac';
    if (serverSecret === undefined || (this.serverAuthenticated && !hmac)) return { code: DM_STATUS.ok };
    const check = checkServer(header, signed, this.host.auth, { id: serverId, secret: serverSecret }, this.serverAuthenticated);
    if (!isSuccess(check.code)) {
      this.serverAuthenticated = false;
      this.host.report('server-refused', { status: check.code });
    } else if (!this.serverAuthenticated) {
      this.serverAuthenticated = true;
      this.host.report('server-authenticated', { status: check.code });
    }
    return check;
  }

  private headerStatus(received: SyncHdr, check: ServerCheck): Status {
    const status: Status = {
      kind: 'Status', cmdId: '', msgRef: received.msgId, cmdRef: '0', cmd: 'SyncHdr',
      targetRefs: [received.target.locUri], sourceRefs: [received.source.locUri], items: [], data: check.code,
    };
    if (check.chal) status.chal = check.chal;
    return status;
  }

  private answer(commands: Command[], msgRef: string): Command[] {
    const context = this.host.answerContext(msgRef);
    if (this.incoming === undefined) return commands.flatMap((command) => answerCommand(command, context));
    const split = this.incoming.take(commands, msgRef);
    for (const chunk of split.chunks) this.host.report('chunk-received', chunk);
    for (const answer of split.answers) if (answer.kind === 'Alert') this.host.report('chunks-cut-off', { path: answer.items[0]?.target?.locUri });
    return [...split.answers, ...split.run.flatMap((command) => answerCommand(command, context))];
  }

  /** The server's answers to the device's chunks (213, 424, 413) and its Alert 1225, for the event stream. */
  private noteChunkAnswers(body: readonly Command[]): void {
    for (const command of body) {
      if (command.kind === 'Status' && command.cmd === 'Results' && command.data !== DM_STATUS.ok && command.data !== DM_STATUS.chunkAccepted) this.host.report('chunk-answered', { status: command.data, path: command.sourceRefs[0] });
      if (command.kind === 'Alert' && command.data === 1225) this.host.report('server-cut-off', { path: command.items[0]?.source?.locUri ?? command.items[0]?.target?.locUri });
    }
  }

  /** Whether the rest of an object is waiting to go (a queued Results continues one). */
  private sendingObject(): boolean {
    return this.queue.some((command) => command.kind === 'Results' && this.continued.has(command.items[0]));
  }

  /** `cutChunksAfter`: the object going out loses its rest and the device goes on with what else it has to send. */
  private cutObjectIfDue(): void {
    const cut = this.host.faults.cutChunksAfter;
    const at = this.queue.findIndex((command) => command.kind === 'Results' && this.continued.has(command.items[0]));
    if (cut === undefined || this.objectChunks < cut || at < 0) return;
    const [rest] = this.queue.splice(at, 1) as Results[];
    this.objectChunks = 0;
    this.host.report('chunks-cut', { path: rest.items[0].source?.locUri });
  }

  /** A Results that starts the next message takes the Statuses for the same command with it (the server pairs them by message). */
  private keepStatusWithResults(body: Command[], next: Command, firstQueued: number, uncount: () => void): void {
    if (next.kind !== 'Results') return;
    for (;;) {
      const previous = body.at(-1);
      if (previous?.kind !== 'Status' || body.length - 1 < firstQueued) return;
      if (previous.cmdRef !== next.cmdRef || previous.msgRef !== (next.msgRef ?? previous.msgRef)) return;
      body.pop();
      uncount();
      this.queue.unshift(previous);
    }
  }

  /** An unauthenticated server gets the header's code for every command and nothing is carried out. */
  private refuse(commands: Command[], msgRef: string, code: number): Command[] {
    return commands.flatMap((command): Status[] =>
      command.kind === 'Unknown' || command.kind === 'Status' || command.kind === 'Results' || command.noResp
        ? []
        : [{ kind: 'Status', cmdId: '', msgRef, cmdRef: command.cmdId, cmd: command.kind, targetRefs: [], sourceRefs: [], items: [], data: code }],
    );
  }

  private noteDelivered(statuses: Status[]): void {
    for (const status of statuses) {
      const alert = this.alertsSent.get(`${status.msgRef}:${status.cmdRef}`);
      if (!alert || !isSuccess(status.data) || this.delivered.includes(alert)) continue;
      this.delivered.push(alert);
      this.host.delivered(alert);
      this.host.report('generic-alert-delivered', { correlator: alert.correlator, status: status.data });
    }
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.host.signal });
    } catch {
      throw new SessionEnd('stopped', 'the device was stopped');
    }
  }
}

function stripOwed(command: Command): Command {
  if (!('owed' in command)) return command;
  const { owed: _owed, ...rest } = command as Command & { owed: unknown };
  return rest as Command;
}

function causeOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ABORT_ERR') return `no answer within the request timeout`;
  return code === undefined ? String(message) : `${code}${message && !message.includes(code) ? ` (${message})` : ''}`;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

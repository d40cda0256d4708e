/**
 * A small scripted SyncML DM server for the simulator's own tests: node http + the codec + the auth module. It
 * authenticates the device (decideClientAuth), sends its own Cred when the device checks it, answers package 1 and
 * every client Alert with Status, sends the commands queued with `queue()` in the next package 2, answers a message
 * without Final with Alert 1222, and records every message both ways.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Command, SYNCML_DM_XML, type Status, type SyncmlMessage, decodeSyncmlAs, encodeSyncml, encodeSyncmlAs, syncmlMediaType,
} from '../../src/omadm/v13/codec/index.js';
import { NEW_SESSION_AUTH, type SessionAuthState, decideClientAuth, freshNonce, serverAuthOutcome, serverCredFor } from '../../src/omadm/v13/auth/index.js';
import type { DmDeviceRecord } from '../../src/store/dm-credential-store.js';

export interface ScriptServerOptions {
  /** The device's credentials; absent: the device is not authenticated (its Cred is ignored). */
  device?: DmDeviceRecord;
  /** Send the server's Cred in every header (for devices that check it). */
  sendCred?: boolean;
  /** Put `<url>?s=<SessionID>` in RespURI. */
  respUri?: boolean;
  /** MaxMsgSize the server announces. */
  maxMsgSize?: number;
  /** Split the queued commands: at most this many per message (the rest after the device's Alert 1222). */
  commandsPerMessage?: number;
}

export class DmScriptServer {
  readonly received: SyncmlMessage[] = [];
  readonly sent: SyncmlMessage[] = [];
  readonly paths: string[] = [];
  readonly contentTypes: string[] = [];
  private readonly pending: Command[] = [];
  private readonly auth = new Map<string, SessionAuthState>();
  private msgId = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly options: ScriptServerOptions,
  ) {}

  static async start(options: ScriptServerOptions = {}): Promise<DmScriptServer> {
    let self: DmScriptServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    self = new DmScriptServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/dm`;
  }

  /** Commands for the next package 2 (CmdIDs are given when sent). */
  queue(...commands: Command[]): void {
    this.pending.push(...commands);
  }

  /** Every Status and Results the device sent, in order. */
  answers(): Array<Extract<Command, { kind: 'Status' | 'Results' }>> {
    return this.received.flatMap((message) => message.body.filter((command): command is Extract<Command, { kind: 'Status' | 'Results' }> => command.kind === 'Status' || command.kind === 'Results'));
  }

  /** Resolves once a received message matches. */
  waitForMessage(match: (message: SyncmlMessage) => boolean, timeoutMs = 10_000): Promise<SyncmlMessage> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.received.find(match);
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${this.received.map((m) => encodeSyncml(m)).join('\n')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.paths.push(req.url ?? '');
    this.contentTypes.push(req.headers['content-type'] ?? '');
    const type = syncmlMediaType(req.headers['content-type']);
    if (!type) return void res.writeHead(415).end();
    const message = decodeSyncmlAs(type.encoding, Buffer.concat(chunks));
    this.received.push(message);
    for (const wake of this.waiters) wake();
    const answer = this.answer(message);
    this.sent.push(answer);
    res.writeHead(200, { 'content-type': type.mediaType }).end(encodeSyncmlAs(type.encoding, answer));
  }

  private answer(message: SyncmlMessage): SyncmlMessage {
    const { header } = message;
    let cmdId = 0;
    const next = () => String(++cmdId);
    const status = (command: { cmdId: string; kind: string }, data: number): Status => ({
      kind: 'Status', cmdId: next(), msgRef: header.msgId, cmdRef: command.cmdId, cmd: command.kind, targetRefs: [], sourceRefs: [], items: [], data,
    });
    const device = this.options.device;
    const headerStatus: Status = {
      kind: 'Status', cmdId: next(), msgRef: header.msgId, cmdRef: '0', cmd: 'SyncHdr', targetRefs: [header.target.locUri], sourceRefs: [header.source.locUri], items: [], data: 200,
    };
    const body: Command[] = [headerStatus];
    const toAnswer = message.body.filter((command) => command.kind !== 'Status' && command.kind !== 'Results' && command.kind !== 'Unknown');
    if (device) {
      const deviceHeaderStatus = message.body.find((command): command is Status => command.kind === 'Status' && command.cmdRef === '0');
      if (deviceHeaderStatus) {
        const outcome = serverAuthOutcome(deviceHeaderStatus);
        if (outcome.nonceToServer !== undefined) device.nonces.toServer = outcome.nonceToServer;
      }
      const decision = decideClientAuth({ header, device, session: this.auth.get(header.sessionId) ?? NEW_SESSION_AUTH, nextNonce: freshNonce() });
      this.auth.set(header.sessionId, decision.session);
      if ('nonceToClient' in decision && decision.nonceToClient !== undefined) device.nonces.toClient = decision.nonceToClient;
      headerStatus.data = decision.status;
      if ('chal' in decision && decision.chal) headerStatus.chal = decision.chal;
      if (decision.kind !== 'authenticated') {
        body.push(...toAnswer.map((command) => status(command as { cmdId: string; kind: string }, decision.status)));
        return this.message(message, body, true);
      }
    }
    body.push(...toAnswer.map((command) => status(command as { cmdId: string; kind: string }, 200)));
    if (!message.final) {
      body.push({ kind: 'Alert', cmdId: next(), data: 1222, items: [] });
      return this.message(message, body, false);
    }
    const limit = this.options.commandsPerMessage ?? Infinity;
    const sending = this.pending.splice(0, limit);
    body.push(...sending.map((command) => renumber(command, next)));
    return this.message(message, body, this.pending.length === 0);
  }

  private message(received: SyncmlMessage, body: Command[], final: boolean): SyncmlMessage {
    const { header } = received;
    const device = this.options.device;
    return {
      header: {
        verDtd: header.verDtd,
        verProto: header.verProto,
        sessionId: header.sessionId,
        msgId: String(++this.msgId),
        target: { locUri: header.source.locUri },
        source: { locUri: this.url },
        ...(this.options.respUri ? { respUri: `${this.url}?s=${header.sessionId}` } : {}),
        ...(this.options.sendCred && device ? { cred: serverCredFor(device) } : {}),
        ...(this.options.maxMsgSize ? { meta: { maxMsgSize: this.options.maxMsgSize } } : {}),
      },
      body,
      final,
    };
  }
}

function renumber(command: Command, next: () => string): Command {
  if (command.kind === 'Atomic' || command.kind === 'Sequence') return { ...command, cmdId: next(), commands: command.commands.map((inner) => renumber(inner, next)) };
  return { ...command, cmdId: next() } as Command;
}

/** Shorthands for queued commands. */
export const get = (...paths: string[]): Command => ({ kind: 'Get', cmdId: '', items: paths.map((path) => ({ target: { locUri: path } })) });
export const replace = (path: string, data: string, format = 'chr'): Command => ({ kind: 'Replace', cmdId: '', items: [{ target: { locUri: path }, meta: { format }, data }] });
export const add = (path: string, data?: string, format = 'chr'): Command => ({ kind: 'Add', cmdId: '', items: [{ target: { locUri: path }, meta: { format }, ...(data === undefined ? {} : { data }) }] });
export const del = (path: string): Command => ({ kind: 'Delete', cmdId: '', items: [{ target: { locUri: path } }] });
export const exec = (path: string, correlator?: string): Command => ({ kind: 'Exec', cmdId: '', ...(correlator ? { correlator } : {}), item: { target: { locUri: path } } });

import type { Agent } from 'node:http';
import { basicCredentialData } from '../../src/omadm/v13/auth/index.js';
import { type Command, SYNCML_DM_XML, type Status, type SyncHdr, type SyncmlMessage, decodeSyncml, encodeSyncml } from '../../src/omadm/v13/codec/index.js';
import { DEFAULT_IDENTITY, initialTree } from '../../src/sim/omadm/default-tree.js';
import { DmTree } from '../../src/sim/omadm/dm-tree.js';
import { DmFaults } from '../../src/sim/omadm/faults.js';
import { type AnswerContext, answerCommand } from '../../src/sim/omadm/tree-commands.js';
import type { DmBenchCredentials } from './dm-load-spec.js';
import { httpExchange } from './http-post.js';

/** One session as the device saw it. */
export interface DmSessionTrace {
  /** Management commands the server sent (Get, Replace...; Atomic/Sequence count as one). */
  commands: number;
  /** Bytes of each device message and of each server answer, in order (one pair per HTTP exchange). */
  requestBytes: number[];
  answerBytes: number[];
  /** First message sent -> final answer received. */
  ms: number;
}

const MAX_MSG_SIZE = 16_384;
/** A server that never ends the session fails it after this many messages. */
const MAX_MESSAGES = 20;
const DEVINFO = ['DevId', 'Man', 'Mod', 'DmV', 'Lang'] as const;

/**
 * A lean DM 1.2 device for the bench: client-initiated sessions (Alert 1201, DevInfo), basic auth both ways, RespURI
 * followed, server commands answered from the simulator's tree (bench/… reuses src/sim/omadm's answers, so a Get
 * returns what `dm-proxy simulate omadm` would). Anything unexpected (refused auth, HTTP error) fails the session.
 */
export class DmBenchClient {
  private readonly tree: DmTree;
  private readonly faults = new DmFaults();
  private readonly serverCred: string;
  private sessionCounter: number;

  constructor(
    private readonly devId: string,
    private readonly dmUrl: string,
    private readonly credentials: DmBenchCredentials,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
  ) {
    this.tree = new DmTree(initialTree({ ...DEFAULT_IDENTITY, devId, dmVersion: '1.2' }), () => credentials.serverId);
    this.serverCred = basicCredentialData(credentials.serverId, credentials.serverSecret);
    // SessionIDs differ from the previous load generator run's (a process per run).
    this.sessionCounter = Math.floor(Math.random() * 50_000);
  }

  async session(): Promise<DmSessionTrace> {
    const sessionId = String(++this.sessionCounter);
    const trace: DmSessionTrace = { commands: 0, requestBytes: [], answerBytes: [], ms: 0 };
    let url = this.dmUrl;
    let queue: Command[] = this.package1();
    let headerStatus: Status | undefined;
    let authenticated = false;
    const started = performance.now();
    for (let msgId = 1; ; msgId++) {
      if (msgId > MAX_MESSAGES) throw new Error(`${this.devId}: the server kept session ${sessionId} open for ${MAX_MESSAGES} messages`);
      let cmdId = 0;
      const body = [...(headerStatus ? [headerStatus] : []), ...queue].map((command) => ({ ...command, cmdId: String(++cmdId) }) as Command);
      const sent = encodeSyncml({ header: this.header(sessionId, msgId, !authenticated), body, final: true });
      const answer = await httpExchange(url, { method: 'POST', headers: { 'content-type': SYNCML_DM_XML }, body: sent, agent: this.agent, timeoutMs: this.timeoutMs });
      trace.requestBytes.push(Buffer.byteLength(sent));
      trace.answerBytes.push(answer.body.length);
      if (answer.status !== 200) throw new Error(`${this.devId}: HTTP ${answer.status} from ${url}: ${answer.body.toString().slice(0, 200)}`);
      const reply = decodeSyncml(answer.body);
      if (reply.header.respUri) url = reply.header.respUri;
      const verdict = reply.body.find((command): command is Status => command.kind === 'Status' && command.cmdRef === '0')?.data;
      if (verdict !== 212 && verdict !== 200) throw new Error(`${this.devId}: the server answered its header with ${verdict}`);
      authenticated = true;
      headerStatus = this.headerStatus(reply);
      const commands = reply.body.filter((command) => command.kind !== 'Status' && command.kind !== 'Results');
      trace.commands += commands.length;
      const context = this.answerContext(reply.header.msgId);
      queue = commands.flatMap((command) => answerCommand(command, context));
      if (!reply.final) queue.push({ kind: 'Alert', cmdId: '', data: 1222, items: [] });
      else if (commands.length === 0) break;
    }
    trace.ms = performance.now() - started;
    return trace;
  }

  private package1(): Command[] {
    const devInfo = DEVINFO.map((name) => ({ source: { locUri: `./DevInfo/${name}` }, meta: { format: 'chr', type: 'text/plain' }, data: this.tree.value(`./DevInfo/${name}`) ?? '' }));
    return [{ kind: 'Alert', cmdId: '', data: 1201, items: [] }, { kind: 'Replace', cmdId: '', items: devInfo }];
  }

  private header(sessionId: string, msgId: number, withCred: boolean): SyncHdr {
    return {
      verDtd: '1.2',
      verProto: 'DM/1.2',
      sessionId,
      msgId: String(msgId),
      target: { locUri: this.dmUrl },
      source: { locUri: this.devId, locName: this.credentials.user },
      meta: { maxMsgSize: MAX_MSG_SIZE },
      ...(withCred ? { cred: { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: basicCredentialData(this.credentials.user, this.credentials.secret) } } : {}),
    };
  }

  /** 212 for the server's Cred (the first answer carries it), 200 afterwards; a wrong Cred fails the session. */
  private headerStatus(reply: SyncmlMessage): Status {
    const { header } = reply;
    if (header.cred !== undefined && header.cred.data !== this.serverCred) throw new Error(`${this.devId}: the server's Cred is not the one enrolled`);
    return {
      kind: 'Status', cmdId: '', msgRef: header.msgId, cmdRef: '0', cmd: 'SyncHdr',
      targetRefs: [header.target.locUri], sourceRefs: [header.source.locUri], items: [], data: header.cred === undefined ? 200 : 212,
    };
  }

  private answerContext(msgRef: string): AnswerContext {
    return {
      tree: this.tree,
      msgRef,
      faults: this.faults,
      deniedStatus: 425,
      // no Exec in this bench: the Retrieves only read
      exec: () => 406,
      answered: () => undefined,
    };
  }
}

import type { Agent } from 'node:http';
import { DEFAULT_IDENTITY } from '../../src/sim/omadm/default-tree.js';
import { DmTree } from '../../src/sim/omadm/dm-tree.js';
import { type CommandContext, runCommand } from '../../src/sim/omadm2/commands.js';
import { initialDm2Tree, initialInstances } from '../../src/sim/omadm2/default-instances.js';
import { Dm2Faults } from '../../src/sim/omadm2/faults.js';
import { basicAuthorization } from '../../src/sim/omadm2/http-auth.js';
import { MoInstances } from '../../src/sim/omadm2/mo-instances.js';
import { Subscriptions } from '../../src/sim/omadm2/subscriptions.js';
import { DEVID_HEADER, DM2_ALERT, DM2_MEDIA, type MosEntry, type Package1, type Package3, parsePackage2 } from '../../src/sim/omadm2/wire.js';
import type { DmSessionTrace } from './dm-bench-client.js';
import type { DmBenchCredentials } from './dm-load-spec.js';
import { httpExchange } from './http-post.js';

/** A server that never ends the session fails it after this many packages. */
const MAX_PACKAGES = 20;

/**
 * A lean DM 2.0 device for the bench: client-initiated sessions (package 1 with its MOS), HTTP Basic with every
 * package, package 2 commands carried out by the simulator's own handlers (src/sim/omadm2, so a GET answers what
 * `dm-proxy simulate omadm2` would, 304 for a current `?cv=`) and answered in package 3, until END. Anything
 * unexpected (an HTTP error, a package 2 that is not one) fails the session.
 */
export class Dm2BenchClient {
  private readonly context: CommandContext;
  private readonly mos: MosEntry[];
  private readonly authorization: string;

  constructor(
    private readonly devId: string,
    private readonly dmUrl: string,
    credentials: DmBenchCredentials,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
  ) {
    const instances = new MoInstances(new DmTree(initialDm2Tree({ ...DEFAULT_IDENTITY, devId }), () => credentials.serverId), initialInstances());
    this.context = {
      instances,
      faults: new Dm2Faults(),
      subscriptions: new Subscriptions(),
      defaults: new Map(),
      http: () => Promise.reject(new Error('no ServerURI exchange in this bench: the Retrieves only read')),
      exec: () => 406,
      report: () => undefined,
    };
    this.mos = initialInstances().map((instance) => ({ MOID: instance.moid, MIID: [instance.miid] }));
    this.authorization = basicAuthorization(credentials);
  }

  async session(): Promise<DmSessionTrace> {
    const trace: DmSessionTrace = { commands: 0, requestBytes: [], answerBytes: [], ms: 0 };
    let url = this.dmUrl;
    const package1: Package1 = { MOS: this.mos, Alert: [{ AlertType: DM2_ALERT.clientInitiated }] };
    let sent: { type: string; body: string } = { type: DM2_MEDIA.initiation, body: JSON.stringify(package1) };
    const started = performance.now();
    for (let packages = 1; ; packages++) {
      if (packages > MAX_PACKAGES) throw new Error(`${this.devId}: the server kept the session open for ${MAX_PACKAGES} packages`);
      const answer = await httpExchange(url, {
        method: 'POST',
        headers: { 'content-type': sent.type, accept: DM2_MEDIA.request, [DEVID_HEADER]: this.devId, authorization: this.authorization },
        body: sent.body,
        agent: this.agent,
        timeoutMs: this.timeoutMs,
      });
      trace.requestBytes.push(Buffer.byteLength(sent.body));
      trace.answerBytes.push(answer.body.length);
      if (answer.status !== 200) throw new Error(`${this.devId}: HTTP ${answer.status} from ${url}: ${answer.body.toString().slice(0, 200)}`);
      const parsed = parsePackage2(answer.body.toString());
      if ('error' in parsed) throw new Error(`${this.devId}: ${parsed.error}`);
      const package3: Package3 = { Status: [] };
      let ended = parsed.commands.length === 0;
      for (const command of parsed.commands) {
        const outcome = await runCommand(command, this.context);
        if (outcome.end) {
          ended = true;
          break;
        }
        trace.commands++;
        if (outcome.status) package3.Status.push(outcome.status);
        if (outcome.continueAt) url = outcome.continueAt;
      }
      if (ended) break;
      sent = { type: DM2_MEDIA.response, body: JSON.stringify(package3) };
    }
    trace.ms = performance.now() - started;
    return trace;
  }
}

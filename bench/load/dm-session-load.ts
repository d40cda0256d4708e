import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { DmBenchClient, type DmSessionTrace } from './dm-bench-client.js';
import { Dm2BenchClient } from './dm2-bench-client.js';
import type { DmBenchDevice, DmCalibration, DmLoadSpec, MgmtObjCost, SessionFigures } from './dm-load-spec.js';
import { type DmPlan, choosePlan } from './dm-plan.js';
import { httpExchange } from './http-post.js';
import { driveSessions, type SessionTimes } from './session-driver.js';

/**
 * The omadm13 and omadm20 scenarios' subject load generator, a process of its own: `node dm-session-load.js '<DmLoadSpec JSON>'`.
 * One cycle of a device: blocking oneM2M Retrieves of the plan's mgmtObjs, a wait until the proxy has queued their DM
 * commands (`queued` of GET /admin/omadm/devices/<DevId>), one DM session that carries them (timed), and every Retrieve
 * answered 2000. `calibrate` opens each device's first session (its `<node>`), finds what each mgmtObj's Retrieve
 * costs in DM commands and picks a plan of `target` commands, then measures one planned session's message sizes;
 * `measure` runs warm-up and measured cycles, one device per worker. Prints one JSON line (DmCalibration or
 * SessionFigures); any failure fails the run (exit 1, the reason on stderr).
 */
const CANDIDATES = ['memory', 'battery', 'deviceInfo', 'firmware'];
const POLL_MS = 1;
/** Reads of `queued` that must agree before a calibration session (a Retrieve's commands may be queued one by one). */
const STABLE_READS = 3;
/** Sessions a new device may need before the proxy has nothing more to send it. */
const SETTLING_SESSIONS = 5;

class SubjectLoad {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  private readonly clients: Array<{ session(): Promise<DmSessionTrace> }>;
  private requestCounter = 0;

  constructor(private readonly spec: DmLoadSpec) {
    const Client = spec.protocol === 'omadm20' ? Dm2BenchClient : DmBenchClient;
    this.clients = spec.devices.map((device) => new Client(device.devId, spec.dmUrl, spec.credentials, this.agent, spec.timeoutMs));
  }

  close(): void {
    this.agent.destroy();
  }

  async calibrate(): Promise<DmCalibration> {
    for (const [index, device] of this.spec.devices.entries()) {
      // Sessions until one brings no command: the proxy may have work of its own for a device it first sees.
      let sessions = 1;
      while ((await this.clients[index].session()).commands > 0) {
        if (++sessions > SETTLING_SESSIONS) throw new Error(`${device.devId}: ${SETTLING_SESSIONS} sessions without a Retrieve all brought DM commands`);
      }
    }
    const costs: MgmtObjCost[] = [];
    for (const mgmtObj of CANDIDATES) costs.push(await this.cost(mgmtObj));
    const chosen = choosePlan(costs, this.spec.target);
    if (chosen.plan.length === 0) throw new Error(`no Retrieve of a DM mgmtObj queued a DM command and answered 2000: ${JSON.stringify(costs)}`);
    const { trace } = await this.cycle(0, chosen);
    return { costs, ...chosen, requestBytes: trace.requestBytes, answerBytes: trace.answerBytes };
  }

  measure(): Promise<SessionFigures> {
    const { spec } = this;
    return driveSessions(spec.devices.length, spec.sessions, spec.warmup, async (worker): Promise<SessionTimes> => {
      const started = performance.now();
      const { trace, polls } = await this.cycle(worker, spec);
      return { sessionMs: trace.ms, cycleMs: performance.now() - started, polls };
    });
  }

  /** The Retrieves of the plan on the device, the wait for their commands queued, the session, the Retrieves' answers. */
  private async cycle(index: number, { plan, queued: expected, commands }: DmPlan): Promise<{ trace: DmSessionTrace; polls: number }> {
    const device = this.spec.devices[index];
    const retrieves = plan.map((mgmtObj) => settled(this.retrieve(device, mgmtObj)));
    const { count: queued, polls } = await this.waitQueued(device, (count) => count >= expected, retrieves);
    if (queued !== expected) throw new Error(`${device.devId}: ${queued} DM commands queued for Retrieves of ${plan.join(', ')}, not ${expected}`);
    const trace = await this.clients[index].session();
    if (trace.commands !== commands) throw new Error(`${device.devId}: its session brought ${trace.commands} DM commands, not ${commands}`);
    const answers = await Promise.all(retrieves.map((retrieve) => retrieve.promise));
    const failed = answers.findIndex((rsc) => rsc !== '2000');
    if (failed >= 0) throw new Error(`${device.devId}: the Retrieve of ${plan[failed]} answered X-M2M-RSC ${answers[failed]} after the session`);
    return { trace, polls };
  }

  /** One Retrieve's cost in DM commands: queued and served in a session of device 0, or answered without one. */
  private async cost(mgmtObj: string): Promise<MgmtObjCost> {
    const device = this.spec.devices[0];
    const retrieve = settled(this.retrieve(device, mgmtObj));
    let last = -1;
    let same = 0;
    const { count: queued } = await this.waitQueued(device, (count) => {
      same = count > 0 && count === last ? same + 1 : 0;
      last = count;
      return same >= STABLE_READS - 1;
    }, [retrieve]);
    if (queued === 0) return { mgmtObj, queued, commands: 0, rsc: await retrieve.promise };
    const trace = await this.clients[0].session();
    return { mgmtObj, queued, commands: trace.commands, rsc: await retrieve.promise };
  }

  /**
   * Polls the device's `queued` until `done` accepts it; returns it and the number of polls. Stops with the count 0
   * when one of `retrieves` has answered meanwhile (none queued: the caller reads its answer); fails after the timeout.
   */
  private async waitQueued(device: DmBenchDevice, done: (count: number) => boolean, retrieves: Array<{ done: boolean; promise: Promise<string> }>): Promise<{ count: number; polls: number }> {
    const deadline = performance.now() + this.spec.timeoutMs;
    for (let polls = 1; ; polls++) {
      const count = await this.queued(device);
      if (done(count)) return { count, polls };
      const answered = retrieves.findIndex((retrieve) => retrieve.done);
      if (answered >= 0) {
        if (count === 0) return { count, polls };
        throw new Error(`${device.devId}: a Retrieve answered X-M2M-RSC ${await retrieves[answered].promise} before the session, with ${count} DM commands queued`);
      }
      if (performance.now() > deadline) throw new Error(`${device.devId}: ${count} DM commands queued after ${this.spec.timeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }

  private async queued(device: DmBenchDevice): Promise<number> {
    const answer = await httpExchange(`${this.spec.httpUrl}/admin/omadm/devices/${encodeURIComponent(device.devId)}`, {
      method: 'GET', headers: { 'X-M2M-Origin': 'CAdmin' }, agent: this.agent, timeoutMs: this.spec.timeoutMs,
    });
    const queued = answer.status === 200 ? (JSON.parse(answer.body.toString()) as { queued?: unknown }).queued : undefined;
    if (typeof queued !== 'number') throw new Error(`GET /admin/omadm/devices/${device.devId} answered HTTP ${answer.status} without a number queued: ${answer.body.toString().slice(0, 200)}`);
    return queued;
  }

  /** A blocking oneM2M Retrieve of the device's mgmtObj; resolves with its X-M2M-RSC. */
  private async retrieve(device: DmBenchDevice, mgmtObj: string): Promise<string> {
    const answer = await httpExchange(`${this.spec.httpUrl}/proxy/${encodeURIComponent(device.node)}/${mgmtObj}`, {
      method: 'GET',
      headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': `dm-load-${process.pid}-${++this.requestCounter}`, Accept: 'application/json' },
      agent: this.agent,
      timeoutMs: this.spec.timeoutMs,
    });
    return String(answer.headers['x-m2m-rsc']);
  }
}

/** A promise and whether it has settled yet (rejections stay for whoever awaits it). */
function settled(promise: Promise<string>): { done: boolean; promise: Promise<string> } {
  const tracked = { done: false, promise };
  promise.then(() => (tracked.done = true), () => (tracked.done = true));
  return tracked;
}

const spec = JSON.parse(process.argv[2] ?? '') as DmLoadSpec;
const load = new SubjectLoad(spec);
try {
  console.log(JSON.stringify(spec.mode === 'calibrate' ? await load.calibrate() : await load.measure()));
} catch (error) {
  console.error(`DM session load generator: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  load.close();
}

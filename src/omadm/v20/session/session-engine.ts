import { randomBytes } from 'node:crypto';
import type { DeviceDirectory } from '../../../core/device-directory.js';
import { KeyedQueue } from '../../../core/keyed-queue.js';
import type { Logger } from '../../../core/logger.js';
import type { MappingService } from '../../../mappings/types.js';
import { type Dm2Command, type Dm2GenericAlert, type Dm2SessionAlertKind, type Dm2Initiation, type Dm2Response, DM2_INITIATION, DM2_REQUEST, END, encodeRequest } from '../codec/index.js';
import { type Dm2CommandQueue, type QueuedDm2Command, SESSION_URI } from './command-queue.js';
import { publishDm2Device } from './device-publication.js';
import type { Dm2SessionEvents } from './session-events.js';
import type { Dm2SessionMetrics } from './session-metrics.js';
import type { Dm2SessionRecord, Dm2SessionStore } from './session-record.js';

export interface Dm2SessionEngineDeps {
  sessions: Dm2SessionStore;
  queue: Dm2CommandQueue;
  events: Dm2SessionEvents;
  directory: DeviceDirectory;
  mappings: MappingService;
  logger: Logger;
  metrics?: Dm2SessionMetrics;
  /** Every package 1, once authenticated (the waker: the device is reachable; a server-initiated one's NOTIFICATION-ID). */
  sessionOpened?(devId: string, alert: { kind: Dm2SessionAlertKind; notificationId?: number } | undefined): void;
  now?: () => number;
}

/** Where a package came from: for absolute URLs in commands and the node's `mgca`. */
export interface Dm2PackageContext {
  /** `http(s)://host:port` the device reached the proxy at. */
  origin: string;
  /** DM2_PATH: the session URL is `<origin><path>?s=<token>`. */
  path: string;
  /** The device's HTTP peer, e.g. `http://127.0.0.1:51234`. */
  peer: string;
  /** The `s` query parameter of the URL the package was posted to (a session URL named in a CONT). */
  sessionToken?: string;
  /** The `r` query parameter of the URL a package 1 was posted to: the report URI of an EXEC (its Generic Alert comes in it). */
  reportToken?: string;
}

/** An HTTP answer to a package: package 2 (200) or a plain-text refusal. */
export interface Dm2Answer {
  status: number;
  contentType: string;
  body: string;
}

/** A device sends one package at a time: more than this many at once is a flood (each holds a connection and memory). */
const MAX_PACKAGES_WAITING_PER_DEVICE = 4;

function refusal(status: number, text: string): Dm2Answer {
  return { status, contentType: 'text/plain; charset=utf-8', body: `${text}\n` };
}

/**
 * The DM 2.0 server side of a session, once the package is authenticated and decoded: package 1 publishes the device
 * and opens the session; every package 2 carries all the device's queued commands in order, END when none are left
 * (the session then ends); package 3's statuses pair with the previous package 2's commands by position. One package
 * of a device at a time; the session lives in the store between packages.
 */
export class Dm2SessionEngine {
  private readonly turns = new KeyedQueue();
  /** Packages of each DevId in its turn or waiting for it. */
  private readonly waiting = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly deps: Dm2SessionEngineDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Package 1: the device's previous session (if any) ends, its node is published, and package 2 answers. */
  initiation(initiation: Dm2Initiation, context: Dm2PackageContext): Promise<Dm2Answer> {
    return this.inTurn(initiation.devId, async () => {
      const { devId } = initiation;
      const now = this.now();
      this.deps.metrics?.packageIn('initiation');
      await this.safely('sessionOpened', devId, () => this.deps.sessionOpened?.(devId, initiation.sessionAlert));
      const previous = await this.deps.sessions.current(devId, now);
      if (previous !== undefined) {
        await this.deps.sessions.end(previous);
        this.deps.metrics?.sessionEnded(previous, 'replaced');
        this.lose(previous, previous.sent, 'the device opened a new session before answering them');
      }
      await publishDm2Device(this.deps.directory, this.deps.mappings.current(), { devId, address: context.peer, mos: initiation.mos });
      await this.safely('devicePublished', devId, () => this.deps.events.devicePublished?.(devId, initiation.mos));
      await this.alerts(devId, initiation.genericAlerts, context.reportToken);
      const session: Dm2SessionRecord = { devId, token: randomBytes(16).toString('base64url'), openedAt: now, lastActivity: now, mos: initiation.mos, sent: [], packages: 0 };
      this.deps.logger.debug({ devId, alert: initiation.sessionAlert, mos: initiation.mos.length }, 'DM 2.0 session opened');
      return this.nextPackage(session, context);
    });
  }

  /**
   * Package 3: pairs its statuses with the last package 2's commands by position, then answers the next package 2. A
   * count that does not match ends the session with HTTP 400: the commands without a status are reported lost, the
   * ones with one are answered, the queue keeps the rest.
   */
  response(devId: string, response: Dm2Response, context: Dm2PackageContext): Promise<Dm2Answer> {
    return this.inTurn(devId, async () => {
      this.deps.metrics?.packageIn('response');
      const session = await this.deps.sessions.current(devId, this.now());
      if (session === undefined) return refusal(400, `no DM 2.0 session is open for "${devId}" (none, or it went idle): open one with package 1 (${DM2_INITIATION})`);
      if (context.sessionToken !== undefined && context.sessionToken !== session.token) return refusal(404, 'no such DM 2.0 session URL');
      session.lastActivity = this.now();
      const sent = session.sent;
      const paired = Math.min(sent.length, response.statuses.length);
      const mismatch = sent.length !== response.statuses.length;
      session.sent = sent.slice(paired);
      if (mismatch) {
        await this.deps.sessions.end(session);
        this.deps.metrics?.sessionEnded(session, 'broken');
      } else await this.deps.sessions.put(session);
      for (let index = 0; index < paired; index++) {
        this.deps.metrics?.commandAnswered();
        await this.safely('commandAnswered', devId, () => this.deps.events.commandAnswered(devId, sent[index], response.statuses[index]));
      }
      await this.alerts(devId, response.genericAlerts);
      if (mismatch) {
        const reason = `package 3 has ${response.statuses.length} statuses for the ${sent.length} commands of package 2`;
        this.lose(session, sent.slice(paired), `${reason}: no status for it`);
        this.deps.logger.warn({ devId, statuses: response.statuses.length, commands: sent.length }, 'DM 2.0 package 3 does not line up with package 2');
        return refusal(400, `${reason} (statuses pair with commands by position); the session is ended`);
      }
      return this.nextPackage(session, context);
    });
  }

  /** Whether the device is in a session (a package being handled, or a session open and not idle). */
  async inSession(devId: string): Promise<boolean> {
    return this.waiting.has(devId) || (await this.deps.sessions.isOpen(devId, this.now()));
  }

  /** Ends every session idle for longer than DM_SESSION_IDLE_S (their unanswered commands are reported lost). */
  async sweepIdle(): Promise<void> {
    const now = this.now();
    for (const { devId } of await this.deps.sessions.idle(now)) await this.turns.run(devId, () => this.deps.sessions.current(devId, now));
  }

  idle(): Promise<void> {
    return this.turns.idle();
  }

  /** One package of a device at a time; more than MAX_PACKAGES_WAITING_PER_DEVICE at once get 503 (a device sends one at a time). */
  private async inTurn(devId: string, task: () => Promise<Dm2Answer>): Promise<Dm2Answer> {
    const waiting = this.waiting.get(devId) ?? 0;
    if (waiting >= MAX_PACKAGES_WAITING_PER_DEVICE) return refusal(503, `${waiting} packages of "${devId}" are already being handled: send one at a time`);
    this.waiting.set(devId, waiting + 1);
    try {
      return await this.turns.run(devId, task);
    } finally {
      const left = (this.waiting.get(devId) ?? 1) - 1;
      if (left === 0) this.waiting.delete(devId);
      else this.waiting.set(devId, left);
    }
  }

  /** Takes every waiting command (those past their deadline are dropped and reported) and answers them, or END. */
  private async nextPackage(session: Dm2SessionRecord, context: Dm2PackageContext): Promise<Dm2Answer> {
    const { devId } = session;
    let taken: QueuedDm2Command[] = [];
    let expired: QueuedDm2Command[] = [];
    await this.deps.queue.drain(devId, async (waiting) => {
      const now = this.now();
      expired = waiting.filter((entry) => entry.notAfter !== undefined && entry.notAfter < now);
      taken = waiting.filter((entry) => !expired.includes(entry));
      session.sent = taken;
      session.lastActivity = now;
      if (taken.length > 0) {
        session.packages++;
        // Stored before the queue lets go of them: a crash in between sends them again rather than losing them.
        await this.deps.sessions.put(session);
      }
      return waiting.map((entry) => entry.id);
    });
    if (expired.length > 0) {
      this.deps.metrics?.commandsExpired(expired.length);
      this.deps.events.commandsExpired(devId, expired);
    }
    if (taken.length === 0) {
      await this.deps.sessions.end(session);
      this.deps.metrics?.sessionEnded(session, 'completed');
      return this.package2([END]);
    }
    this.deps.metrics?.commandsSent(taken.length);
    this.deps.events.commandsSent(devId, taken);
    const sessionUrl = `${context.origin}${context.path}?s=${session.token}`;
    return this.package2(taken.map((entry) => absolute(entry.command, context.origin, sessionUrl)));
  }

  private package2(commands: readonly Dm2Command[]): Dm2Answer {
    this.deps.metrics?.packageOut();
    return { status: 200, contentType: DM2_REQUEST, body: encodeRequest(commands) };
  }

  private async alerts(devId: string, alerts: readonly Dm2GenericAlert[], reportToken?: string): Promise<void> {
    for (const alert of alerts) await this.safely('genericAlert', devId, () => this.deps.events.genericAlert(devId, alert, reportToken));
  }

  /** An event handler that fails costs the device nothing: the session goes on. */
  private async safely(event: string, devId: string, handler: () => void | Promise<void>): Promise<void> {
    try {
      await handler();
    } catch (error) {
      this.deps.logger.error({ err: error, devId, event }, 'DM 2.0 session event handler failed');
    }
  }

  private lose(session: Dm2SessionRecord, entries: readonly QueuedDm2Command[], reason: string): void {
    for (const entry of entries) this.deps.events.commandLost(session.devId, entry, reason);
  }
}

/** The command as sent: server-relative URLs made absolute, SESSION_URI replaced by the session's URL. */
function absolute(command: Dm2Command, origin: string, sessionUrl: string): Dm2Command {
  const [name, ...args] = command;
  return [name, ...args.map((arg) => (arg === SESSION_URI ? sessionUrl : arg.startsWith('/') ? `${origin}${arg}` : arg))];
}

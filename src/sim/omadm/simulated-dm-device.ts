import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { Scheduler } from '../common/scheduler.js';
import type { DeviceAuthState } from './credentials.js';
import { initialTree } from './default-tree.js';
import { DmTree } from './dm-tree.js';
import { type DmSimEvent, dmSimEvent } from './events.js';
import { type ExecHooks, execute } from './exec-operations.js';
import { DmFaults } from './faults.js';
import { boundPort, listenForNotifications } from './notification-listener.js';
import type { GenericAlert } from './generic-alert.js';
import { type DmDeviceOptions, type ResolvedDmOptions, resolveDmOptions } from './options.js';
import { type SessionHost, type SessionOutcome, runSession } from './session.js';
import type { AnswerContext } from './tree-commands.js';
import { waitForEvent } from '../common/wait-for-event.js';

export interface OpenSessionOptions {
  /** 1201 client-initiated (default), 1200 as after a package-0 trigger. */
  alert?: 1200 | 1201;
  /** The SessionID (a trigger's); default the device's next one. */
  sessionId?: string;
}

/** First retry after an unreachable server when not polling; doubles up to the maximum. */
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;
/** `events` and `sessions` keep the latest ones only: a polling device runs for days. */
const MAX_KEPT_EVENTS = 10_000;

/** A simulated OMA DM 1.2/1.3 device: its tree, its sessions (one at a time, in order) and its owed Generic Alerts. */
export class SimulatedDmDevice extends EventEmitter {
  readonly options: ResolvedDmOptions;
  readonly tree: DmTree;
  readonly faults = new DmFaults();
  readonly events: DmSimEvent[] = [];
  readonly sessions: SessionOutcome[] = [];
  private readonly auth: DeviceAuthState;
  private readonly owed: GenericAlert[] = [];
  private readonly scheduler = new Scheduler();
  private readonly stop = new AbortController();
  private queue: Promise<unknown> = Promise.resolve();
  private sessionCounter = 0;
  private pollMs: number | undefined;
  private retryMs = FIRST_RETRY_MS;
  private notifications: Server | undefined;

  constructor(options: DmDeviceOptions) {
    super();
    this.options = resolveDmOptions(options);
    this.auth = { auth: this.options.auth };
    this.tree = new DmTree(initialTree(this.options.identity, this.options.maxObjSize !== undefined), () => this.options.serverId);
  }

  get devId(): string {
    return this.options.devId;
  }

  /** Generic Alerts waiting for a session whose server acknowledges them. */
  get pendingAlerts(): readonly GenericAlert[] {
    return this.owed;
  }

  /** Opens a session after the ones already asked for; resolves when it ended (never rejects). */
  openSession(options: OpenSessionOptions = {}): Promise<SessionOutcome> {
    const run = this.queue.then(() => this.session(options));
    this.queue = run;
    return run;
  }

  /** A server-initiated session (Alert 1200), as a package-0 trigger would start it. */
  trigger(sessionId?: string): Promise<SessionOutcome> {
    return this.openSession({ alert: 1200, sessionId });
  }

  /**
   * A session now, then one every `pollSeconds` after each ended; without polling, an unreachable server is tried
   * again after 2 s, doubling up to 30 s.
   */
  startSessions(pollSeconds?: number): void {
    this.pollMs = pollSeconds === undefined ? undefined : pollSeconds * 1000;
    void this.openSession().then((outcome) => this.scheduleNext(outcome));
  }

  value(path: string): string | undefined {
    return this.tree.value(path);
  }

  setValue(path: string, value: string, format?: string): void {
    this.tree.setValue(path, value, format);
  }

  /** The first event (from the start) that matches; rejects after `timeoutMs` with the events seen. */
  waitFor(match: (event: DmSimEvent) => boolean, timeoutMs = 10_000): Promise<DmSimEvent> {
    return waitForEvent(this, this.events, match, timeoutMs);
  }

  /**
   * Takes package 0 notifications as POSTs on `port` (0: any free one, on 127.0.0.1) and opens a server-initiated
   * session (Alert 1200, the notification's session id) for each one whose digest is right; resolves with the port.
   */
  async listenForNotifications(port: number): Promise<number> {
    const check = { serverId: this.options.serverId, serverSecret: this.options.serverSecret, nonce: () => this.auth.nonceToServer };
    this.notifications = await listenForNotifications(port, check, (outcome) => {
      if (!outcome.accepted) return this.report('notification-refused', { reason: outcome.reason });
      this.report('notification', { sessionId: outcome.sessionId, uiMode: outcome.uiMode, digestChecked: outcome.checked });
      void this.trigger(outcome.sessionId);
    });
    return boundPort(this.notifications);
  }

  /** Stops polling, timers and the notification port, aborts the running session; resolves once no session runs. */
  async close(): Promise<void> {
    this.stop.abort();
    this.scheduler.cancelAll();
    const notifications = this.notifications;
    if (notifications) await new Promise((resolve) => notifications.close(resolve));
    await this.queue;
  }

  private async session(options: OpenSessionOptions): Promise<SessionOutcome> {
    const sessionId = options.sessionId ?? String(++this.sessionCounter);
    if (this.stop.signal.aborted) return { sessionId, result: 'stopped', messages: 0, delivered: [] };
    const outcome = await runSession(this.host(), { alert: options.alert ?? 1201, sessionId, alerts: [...this.owed] });
    this.sessions.push(outcome);
    if (this.sessions.length > MAX_KEPT_EVENTS) this.sessions.splice(0, this.sessions.length - MAX_KEPT_EVENTS);
    this.emit('session', outcome);
    return outcome;
  }

  private scheduleNext(outcome: SessionOutcome): void {
    if (this.stop.signal.aborted) return;
    let delay = this.pollMs;
    if (outcome.result === 'unreachable' && delay === undefined) {
      delay = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    } else if (outcome.result !== 'unreachable') this.retryMs = FIRST_RETRY_MS;
    if (delay === undefined) return;
    this.scheduler.after(delay, () => void this.openSession().then((next) => this.scheduleNext(next)));
  }

  private host(): SessionHost {
    return {
      options: this.options,
      auth: this.auth,
      faults: this.faults,
      signal: this.stop.signal,
      answerContext: (msgRef) => this.answerContext(msgRef),
      delivered: (alert) => {
        const index = this.owed.indexOf(alert);
        if (index >= 0) this.owed.splice(index, 1);
      },
      report: (event, details) => this.report(event, details),
    };
  }

  private answerContext(msgRef: string): AnswerContext {
    const hooks: ExecHooks = {
      reboot: () => this.report('rebooted'),
      factoryReset: () => {
        this.tree.restore(initialTree(this.options.identity, this.options.maxObjSize !== undefined));
        this.report('factory-reset');
      },
      report: (event, details) => this.report(event, details),
    };
    return {
      tree: this.tree,
      msgRef,
      faults: this.faults,
      deniedStatus: this.options.deniedStatus,
      exec: (segments, correlator) => {
        const outcome = execute(this.tree, segments, correlator, this.options.exec, hooks);
        if (outcome.later) {
          const { delayMs, complete } = outcome.later;
          this.scheduler.after(delayMs, () => this.owe(complete()));
        }
        return outcome.status;
      },
      answered: (cmd, path, status, details = {}) => this.report('command', { cmd, path, status, ...details }),
    };
  }

  /** An asynchronous operation ended: its Generic Alert goes out in a new session. */
  private owe(alert: GenericAlert): void {
    this.owed.push(alert);
    this.report('generic-alert-due', { correlator: alert.correlator, type: alert.type, data: alert.data });
    void this.openSession();
  }

  private report(event: string, details: Record<string, unknown> = {}): void {
    const line = dmSimEvent(this.options.devId, event, details);
    this.events.push(line);
    if (this.events.length > MAX_KEPT_EVENTS) this.events.splice(0, this.events.length - MAX_KEPT_EVENTS);
    this.options.sink?.(line);
    this.emit('event', line);
  }
}

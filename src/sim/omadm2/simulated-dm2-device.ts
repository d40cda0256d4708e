import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { Scheduler } from '../common/scheduler.js';
import { DmTree, pathSegments } from '../omadm/dm-tree.js';
import { type DmSimEvent, dmSimEvent } from '../omadm/events.js';
import { type ExecHooks, execute } from '../omadm/exec-operations.js';
import type { GenericAlert } from '../omadm/generic-alert.js';
import type { CommandContext } from './commands.js';
import { FIRMWARE_VERSION_PATH, initialDm2Tree, initialInstances } from './default-instances.js';
import { Dm2Faults } from './faults.js';
import { HttpAuthenticator } from './http-auth.js';
import { MoInstances, type Target } from './mo-instances.js';
import { Dm2NotificationChecker, boundPort, listenForDm2Notifications } from './notification-listener.js';
import { type Dm2DeviceOptions, type ResolvedDm2Options, resolveDm2Options } from './options.js';
import { type Dm2SessionHost, type Dm2SessionOutcome, type OwedAlert, runDm2Session } from './session.js';
import { DM2_STATUS } from './status-codes.js';
import { Subscriptions } from './subscriptions.js';
import { DM2_MEDIA, DEVID_HEADER, type Dm2Alert } from './wire.js';
import { waitForEvent } from '../common/wait-for-event.js';

export interface Dm2OpenSessionOptions {
  /** Where package 1 goes (default the DM server; an EXEC's ServerURI for its report). */
  url?: string;
  /** After a package 0: a server-initiated session with this NOTIFICATION-ID. */
  notificationId?: number;
}

export const LAWMO_ALERT_TYPE = 'urn:oma:at:lawmo:1.0:OperationComplete';

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;
const MAX_KEPT_EVENTS = 10_000;

/** A simulated OMA DM 2.0 device: its MO instances, its sessions (one at a time, in order), owed alerts, subscriptions. */
export class SimulatedDm2Device extends EventEmitter {
  readonly options: ResolvedDm2Options;
  readonly tree: DmTree;
  readonly instances: MoInstances;
  readonly faults = new Dm2Faults();
  readonly events: DmSimEvent[] = [];
  readonly sessions: Dm2SessionOutcome[] = [];
  readonly subscriptions = new Subscriptions();
  /** DEFAULT commands: MOID → ServerURI. */
  readonly defaults = new Map<string, string>();
  private readonly owed: OwedAlert[] = [];
  private readonly authenticator: HttpAuthenticator;
  private readonly scheduler = new Scheduler();
  private readonly stop = new AbortController();
  private queue: Promise<unknown> = Promise.resolve();
  private reports: Promise<unknown> = Promise.resolve();
  private sessionCounter = 0;
  private pollMs: number | undefined;
  private retryMs = FIRST_RETRY_MS;
  private notifications: Server | undefined;

  constructor(options: Dm2DeviceOptions) {
    super();
    this.options = resolveDm2Options(options);
    this.tree = new DmTree(initialDm2Tree(this.options.identity), () => this.options.serverId);
    this.instances = new MoInstances(this.tree, initialInstances());
    const { user, secret } = this.options;
    const credentials = () => (user === undefined || secret === undefined ? undefined : { user, secret: this.faults.wrongSecret ? `${secret}-wrong` : secret });
    this.authenticator = new HttpAuthenticator(this.options.auth, credentials, new URL(this.options.server).origin);
  }

  get devId(): string {
    return this.options.devId;
  }

  get pendingAlerts(): readonly OwedAlert[] {
    return this.owed;
  }

  /** Opens a session after the ones already asked for; resolves when it ended (never rejects). */
  openSession(options: Dm2OpenSessionOptions = {}): Promise<Dm2SessionOutcome> {
    const run = this.queue.then(() => this.session(options));
    this.queue = run;
    return run;
  }

  /** A server-initiated session, as a package 0 with this NOTIFICATION-ID starts it. */
  trigger(notificationId: number): Promise<Dm2SessionOutcome> {
    return this.openSession({ notificationId });
  }

  /** A session now, then one every `pollSeconds` after each ended; without polling an unreachable server is retried (2 s doubling to 30 s). */
  startSessions(pollSeconds?: number): void {
    this.pollMs = pollSeconds === undefined ? undefined : pollSeconds * 1000;
    void this.openSession().then((outcome) => this.scheduleNext(outcome));
  }

  value(path: string): string | undefined {
    return this.tree.value(path);
  }

  /** Sets a leaf as the device itself would (subscriptions report the change). */
  setValue(path: string, value: string, format?: string): void {
    this.tree.setValue(path, value, format);
    this.changed();
  }

  waitFor(match: (event: DmSimEvent) => boolean, timeoutMs = 10_000): Promise<DmSimEvent> {
    return waitForEvent(this, this.events, match, timeoutMs);
  }

  /** Takes DM 2.0 package 0s as POSTs on `port` (0: any free one, 127.0.0.1) and opens a server-initiated session for each. */
  async listenForNotifications(port: number): Promise<number> {
    const { serverId, serverSecret, notificationAuthData, notificationMaxAgeS } = this.options;
    const checker = new Dm2NotificationChecker({ serverId, serverSecret, authData: notificationAuthData, maxAgeS: notificationMaxAgeS, now: Date.now });
    this.notifications = await listenForDm2Notifications(port, checker, (outcome) => {
      if (!outcome.accepted) return this.report('notification-refused', { reason: outcome.reason });
      const { notificationId, reqMos, digest, timestamp } = outcome.notification;
      this.report('notification', { notificationId, serverId: outcome.notification.serverId, reqMos, timestamp, digestPresent: digest !== undefined, digestChecked: outcome.checked });
      void this.trigger(notificationId as number);
    });
    return boundPort(this.notifications);
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.scheduler.cancelAll();
    const notifications = this.notifications;
    if (notifications) await new Promise((resolve) => notifications.close(resolve));
    await this.queue;
    await this.reports;
  }

  private async session(options: Dm2OpenSessionOptions): Promise<Dm2SessionOutcome> {
    const sessionId = String(++this.sessionCounter);
    const url = options.url ?? this.options.server;
    if (this.stop.signal.aborted) return { sessionId, result: 'stopped', messages: 0, delivered: [] };
    const alerts = this.owed.filter((owed) => (owed.serverUri ?? this.options.server) === url);
    const outcome = await runDm2Session(this.host(), { sessionId, url, alerts, ...(options.notificationId !== undefined ? { notificationId: options.notificationId } : {}) });
    this.sessions.push(outcome);
    if (this.sessions.length > MAX_KEPT_EVENTS) this.sessions.splice(0, this.sessions.length - MAX_KEPT_EVENTS);
    this.emit('session', outcome);
    return outcome;
  }

  private scheduleNext(outcome: Dm2SessionOutcome): void {
    if (this.stop.signal.aborted) return;
    let delay = this.pollMs;
    if (outcome.result === 'unreachable' && delay === undefined) {
      delay = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    } else if (outcome.result !== 'unreachable') this.retryMs = FIRST_RETRY_MS;
    if (delay === undefined) return;
    this.scheduler.after(delay, () => {
      // Alerts owed to an EXEC's ServerURI that could not be delivered are tried again with every poll.
      const elsewhere = new Set(this.owed.map((owed) => owed.serverUri).filter((url): url is string => url !== undefined && url !== this.options.server));
      for (const url of elsewhere) void this.openSession({ url });
      void this.openSession().then((next) => this.scheduleNext(next));
    });
  }

  private host(): Dm2SessionHost {
    return {
      options: this.options,
      instances: this.instances,
      faults: this.faults,
      authenticator: this.authenticator,
      signal: this.stop.signal,
      commandContext: (http) => this.commandContext(http),
      changed: () => this.changed(),
      delivered: (owed) => {
        const index = this.owed.indexOf(owed);
        if (index >= 0) this.owed.splice(index, 1);
      },
      report: (event, details) => this.report(event, details),
    };
  }

  private commandContext(http: CommandContext['http']): CommandContext {
    return {
      instances: this.instances,
      faults: this.faults,
      subscriptions: this.subscriptions,
      defaults: this.defaults,
      http,
      exec: (target, serverUri) => this.exec(target, serverUri),
      report: (event, details) => this.report(event, details),
    };
  }

  /** EXEC: with a ServerURI always asynchronous (202 now, the Generic Alert in a new session to that URI). */
  private exec(target: Target, serverUri: string | undefined): number {
    const hooks: ExecHooks = {
      reboot: () => this.report('rebooted'),
      factoryReset: () => {
        this.tree.restore(initialDm2Tree(this.options.identity));
        this.instances.reset(initialInstances());
        this.subscriptions.clear();
        this.report('factory-reset');
      },
      report: (event, details) => this.report(event, details),
      firmwareVersionPath: FIRMWARE_VERSION_PATH,
    };
    const behaviour = serverUri === undefined ? this.options.exec : { ...this.options.exec, fumo: 'async' as const, scomo: 'async' as const };
    const segments = pathSegments(target.treePath) ?? [];
    const outcome = execute(this.tree, segments, undefined, behaviour, hooks);
    if (outcome.later) {
      const { delayMs, complete } = outcome.later;
      this.scheduler.after(delayMs, () => this.owe(this.alertOf(complete(), target), serverUri));
      return outcome.status;
    }
    if (serverUri === undefined) return outcome.status;
    // A synchronous operation asked to report asynchronously: 202 now, its result as a LAWMO-style alert.
    const result = outcome.status;
    this.scheduler.after(this.options.exec.asyncDelayMs, () => this.owe({ AlertType: LAWMO_ALERT_TYPE, SourceURI: target.clientUri, DataType: 'int', Data: { DM1x: result } }, serverUri));
    return DM2_STATUS.accepted;
  }

  /** A DM 1.x Generic Alert in DM 2.0 shape: SourceURI the EXEC's ClientURI, the result code wrapped as {DM1x}. */
  private alertOf(alert: GenericAlert, target: Target): Dm2Alert {
    const data = alert.format === 'int' && /^-?\d+$/.test(alert.data) ? Number(alert.data) : alert.data;
    return { AlertType: alert.type, SourceURI: target.clientUri, ...(alert.mark ? { Mark: alert.mark } : {}), DataType: alert.format, Data: { DM1x: data } };
  }

  private owe(alert: Dm2Alert, serverUri: string | undefined): void {
    const owed: OwedAlert = { alert, ...(serverUri !== undefined ? { serverUri } : {}) };
    this.owed.push(owed);
    this.changed();
    this.report('generic-alert-due', { type: alert.AlertType, source: alert.SourceURI, data: alert.Data, ...(serverUri ? { serverUri } : {}) });
    void this.openSession(serverUri === undefined ? {} : { url: serverUri });
  }

  /** Reports changed subscribed subtrees (HTTP PUT to their ServerURIs), one report after another. */
  private changed(): void {
    const due = this.subscriptions.changed(this.instances);
    if (due.length === 0) return;
    this.reports = this.reports.then(async () => {
      for (const { subscription, data } of due) {
        let status: number | string;
        try {
          if (this.faults.serverUriFails) throw new Error('failing ServerURI exchanges (fault)');
          const response = await fetch(subscription.serverUri, {
            method: 'PUT',
            headers: { 'content-type': DM2_MEDIA.moData, [DEVID_HEADER]: this.options.devId },
            body: JSON.stringify(data),
            signal: AbortSignal.timeout(this.options.requestTimeoutMs),
          });
          await response.body?.cancel();
          status = response.status;
        } catch (error) {
          status = (error as Error).message;
        }
        this.report(typeof status === 'number' && status < 300 ? 'subscription-reported' : 'subscription-failed', { uri: subscription.clientUri, serverUri: subscription.serverUri, status });
      }
    });
  }

  private report(event: string, details: Record<string, unknown> = {}): void {
    const line = dmSimEvent(this.options.devId, event, details);
    this.events.push(line);
    if (this.events.length > MAX_KEPT_EVENTS) this.events.splice(0, this.events.length - MAX_KEPT_EVENTS);
    this.options.sink?.(line);
    this.emit('event', line);
  }
}

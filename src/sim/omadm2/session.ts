/**
 * One DM 2.0 management session over HTTP: package 1 (MOS, the session's Alert and owed Generic Alerts) POSTed to
 * the server, then every package 2's commands carried out in order and their Statuses POSTed back as package 3 (to the
 * CONT URI once one came), until a package 2 holds END (the rest is carried out, nothing sent). An HTTP error status
 * from the server ends the session without a retry (reference §2).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand, type CommandContext } from './commands.js';
import type { Dm2Faults } from './faults.js';
import type { HttpAuthenticator } from './http-auth.js';
import type { MoInstances } from './mo-instances.js';
import type { ResolvedDm2Options } from './options.js';
import { DEVID_HEADER, DM2_ALERT, DM2_MEDIA, type Dm2Alert, type Dm2Command, type MosEntry, type Package1, type Package3, isMedia, parsePackage2 } from './wire.js';

export type Dm2SessionResult = 'completed' | 'auth-failed' | 'dropped' | 'failed' | 'unreachable' | 'stopped';

export interface Dm2SessionOutcome {
  sessionId: string;
  result: Dm2SessionResult;
  /** Packages the device sent (package 1 and package 3s). */
  messages: number;
  /** The Generic Alerts the server took (its answer to package 1 was a success). */
  delivered: OwedAlert[];
  reason?: string;
}

/** A Generic Alert the device still has to deliver, and where to (an EXEC's ServerURI; default the DM server). */
export interface OwedAlert {
  alert: Dm2Alert;
  serverUri?: string;
}

export interface Dm2SessionRequest {
  sessionId: string;
  url: string;
  /** Set after a package 0: the session is server-initiated with this NOTIFICATION-ID. */
  notificationId?: number;
  alerts: OwedAlert[];
}

export interface Dm2SessionHost {
  options: ResolvedDm2Options;
  instances: MoInstances;
  faults: Dm2Faults;
  authenticator: HttpAuthenticator;
  signal: AbortSignal;
  commandContext(http: CommandContext['http']): CommandContext;
  /** After each command: subscriptions may have something to report. */
  changed(): void;
  delivered(alert: OwedAlert): void;
  report(event: string, details?: Record<string, unknown>): void;
}

/** A server that never ends the session is left after this many packages. */
const MAX_PACKAGES_PER_SESSION = 1000;

class SessionEnd extends Error {
  constructor(
    readonly result: Dm2SessionResult,
    reason: string,
  ) {
    super(reason);
  }
}

export function runDm2Session(host: Dm2SessionHost, request: Dm2SessionRequest): Promise<Dm2SessionOutcome> {
  return new Dm2Session(host, request).run();
}

class Dm2Session {
  private url: string;
  private messages = 0;
  private received = 0;
  private authenticated = false;
  private readonly cookies = new Map<string, string>();
  private readonly delivered: OwedAlert[] = [];

  constructor(
    private readonly host: Dm2SessionHost,
    private readonly request: Dm2SessionRequest,
  ) {
    this.url = request.url;
  }

  async run(): Promise<Dm2SessionOutcome> {
    const { sessionId, notificationId } = this.request;
    const alert = notificationId === undefined ? DM2_ALERT.clientInitiated : DM2_ALERT.serverInitiated;
    this.host.report('session-started', { sessionId, server: this.url, alert, alerts: this.request.alerts.length, auth: this.host.options.user ? this.host.options.auth : 'none' });
    let result: Dm2SessionResult = 'completed';
    let reason: string | undefined;
    try {
      await this.exchange();
    } catch (error) {
      result = error instanceof SessionEnd ? error.result : this.host.signal.aborted ? 'stopped' : 'failed';
      reason = (error as Error).message;
    }
    this.host.report('session-ended', { sessionId, result, messages: this.messages, ...(reason ? { reason } : {}) });
    return { sessionId, result, messages: this.messages, delivered: this.delivered, ...(reason ? { reason } : {}) };
  }

  private async exchange(): Promise<void> {
    let commands = await this.post(DM2_MEDIA.initiation, this.package1());
    for (const owed of this.request.alerts) {
      this.delivered.push(owed);
      this.host.delivered(owed);
      this.host.report('generic-alert-delivered', { type: owed.alert.AlertType, source: owed.alert.SourceURI, server: this.request.url });
    }
    for (;;) {
      if (commands.length === 0) return;
      const package3: Package3 = { Status: [] };
      let ended = false;
      const context = this.host.commandContext((url, init) => this.http(url, init));
      for (const command of commands) {
        const outcome = await runCommand(command, context);
        this.host.changed();
        if (outcome.end) ended = true;
        if (ended) continue;
        if (outcome.status) package3.Status.push(outcome.status);
        if (outcome.continueAt) this.url = outcome.continueAt;
      }
      if (ended) return;
      if (this.messages >= MAX_PACKAGES_PER_SESSION) throw new SessionEnd('failed', `the server kept the session open for ${MAX_PACKAGES_PER_SESSION} packages`);
      if (this.host.faults.slowMs > 0) await this.pause(this.host.faults.slowMs);
      commands = await this.post(DM2_MEDIA.response, package3);
    }
  }

  private package1(): Package1 {
    const { notificationId } = this.request;
    const start: Dm2Alert = notificationId === undefined
      ? { AlertType: DM2_ALERT.clientInitiated }
      : { AlertType: DM2_ALERT.serverInitiated, Data: { 'NOTIFICATION-ID': notificationId } };
    for (const owed of this.request.alerts) this.host.report('generic-alert-sent', { type: owed.alert.AlertType, source: owed.alert.SourceURI, server: this.request.url });
    return { MOS: this.mos(), Alert: [start, ...this.request.alerts.map((owed) => owed.alert)] };
  }

  private mos(): MosEntry[] {
    const byMoid = new Map<string, string[]>();
    for (const instance of this.host.instances.list()) byMoid.set(instance.moid, [...(byMoid.get(instance.moid) ?? []), instance.miid]);
    return [...byMoid].map(([MOID, MIID]) => ({ MOID, MIID }));
  }

  /** POSTs a package and reads the package 2 that answers it. */
  private async post(contentType: string, body: Package1 | Package3): Promise<Dm2Command[]> {
    const { options, signal } = this.host;
    this.messages++;
    let answer: Response;
    try {
      const { response, challenged, authenticated } = await this.host.authenticator.fetch(this.url, {
        method: 'POST',
        headers: this.headers({ 'content-type': contentType, accept: DM2_MEDIA.request, [DEVID_HEADER]: options.devId }),
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.requestTimeoutMs)]),
      });
      answer = response;
      if (challenged) this.host.report('challenged', { status: response.status });
      if (authenticated && !this.authenticated) {
        this.authenticated = true;
        this.host.report('authenticated', { auth: options.auth, status: response.status });
      }
    } catch (error) {
      if (signal.aborted) throw new SessionEnd('stopped', 'the device was stopped');
      throw new SessionEnd('unreachable', `${this.url}: ${causeOf(error)}`);
    }
    this.keepCookies(answer);
    const text = await answer.text().catch(() => '');
    this.received++;
    if (answer.status === 401) throw new SessionEnd('auth-failed', `${this.url} answered 401${options.user ? ' to the device\'s credentials' : ' (the device has no credentials)'}`);
    if (!answer.ok) throw new SessionEnd('failed', `${this.url} answered HTTP ${answer.status}`);
    const drop = this.host.faults.dropAfterMessages;
    if (drop !== undefined && this.received >= drop) throw new SessionEnd('dropped', `went silent after ${this.received} package 2(s)`);
    if (answer.status === 204 || text.trim() === '') return [];
    if (!isMedia(answer.headers.get('content-type'), DM2_MEDIA.request)) throw new SessionEnd('failed', `package 2 came as ${answer.headers.get('content-type') ?? 'no content type'}, not ${DM2_MEDIA.request}`);
    const parsed = parsePackage2(text);
    if ('error' in parsed) throw new SessionEnd('failed', parsed.error);
    this.host.report('package2', { commands: parsed.commands.length });
    return parsed.commands;
  }

  /** A ServerURI exchange: the device's credentials (on the DM server's origin), its timeout, the session's cookies. */
  private async http(url: string, init: RequestInit): Promise<Response> {
    const { response } = await this.host.authenticator.fetch(url, {
      ...init,
      headers: this.headers({ ...(init.headers as Record<string, string>), [DEVID_HEADER]: this.host.options.devId }, url),
      signal: AbortSignal.any([this.host.signal, AbortSignal.timeout(this.host.options.requestTimeoutMs)]),
    });
    return response;
  }

  private headers(headers: Record<string, string>, url = this.url): Record<string, string> {
    if (this.cookies.size === 0 || new URL(url).origin !== new URL(this.url).origin) return headers;
    return { ...headers, cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private keepCookies(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      if (index > 0) this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
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

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

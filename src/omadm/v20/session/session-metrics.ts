import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Dm2SessionRecord } from './session-record.js';

/**
 * How a DM 2.0 session ended: completed (END sent); idle; replaced by a new package 1 of the device; broken: a
 * package 3 whose statuses did not line up with the commands (HTTP 400).
 */
export type Dm2SessionOutcome = 'completed' | 'idle' | 'replaced' | 'broken';

/** The DM 2.0 sessions' Prometheus metrics (omadm20_*), registered on the proxy's registry. */
export class Dm2SessionMetrics {
  private readonly sessions: Counter<'outcome'>;
  private readonly packages: Counter<'package'>;
  private readonly commands: Counter<'event'>;
  private readonly authFailures: Counter;
  private readonly notifications: Counter<'outcome'>;
  private readonly duration: Histogram;

  /** `openSessions`: how many sessions the store holds now (read when scraped). */
  constructor(registry: Registry, openSessions: () => Promise<number>) {
    const registers = [registry];
    this.sessions = new Counter({ name: 'omadm20_sessions_total', help: 'DM 2.0 sessions ended, by outcome', labelNames: ['outcome'], registers });
    this.packages = new Counter({ name: 'omadm20_packages_total', help: 'DM 2.0 packages: 1 and 3 received (authenticated), 2 sent', labelNames: ['package'], registers });
    // Registered only: its value is read from the store when scraped.
    new Gauge({
      name: 'omadm20_sessions_open',
      help: 'DM 2.0 sessions open (stored, not yet ended)',
      registers,
      async collect() {
        this.set(await openSessions());
      },
    });
    this.commands = new Counter({
      name: 'omadm20_commands_total',
      help: 'Queued DM 2.0 commands sent, answered, lost (sent, never answered) or expired (dropped unsent)',
      labelNames: ['event'],
      registers,
    });
    this.authFailures = new Counter({
      name: 'omadm20_auth_failures_total',
      help: 'DM 2.0 packages refused for their HTTP credentials (wrong, unknown DevId, replayed nonce, locked out); challenges not counted',
      registers,
    });
    this.notifications = new Counter({
      name: 'omadm20_notifications_total',
      help: 'DM 2.0 package 0s sent to the gateway or failed, and server-initiated sessions that answered the last one or did not match it',
      labelNames: ['outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'omadm20_session_seconds',
      help: 'Duration of DM 2.0 sessions, from package 1 to their last package',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
  }

  packageIn(kind: 'initiation' | 'response'): void {
    this.packages.inc({ package: kind === 'initiation' ? '1' : '3' });
  }

  packageOut(): void {
    this.packages.inc({ package: '2' });
  }

  authFailure(): void {
    this.authFailures.inc();
  }

  notification(outcome: 'sent' | 'failed' | 'answered' | 'unmatched'): void {
    this.notifications.inc({ outcome });
  }

  commandsSent(count: number): void {
    if (count > 0) this.commands.inc({ event: 'sent' }, count);
  }

  commandAnswered(): void {
    this.commands.inc({ event: 'answered' });
  }

  commandsExpired(count: number): void {
    if (count > 0) this.commands.inc({ event: 'expired' }, count);
  }

  /** Call with the record's unanswered commands still in `sent`: they are counted lost. */
  sessionEnded(record: Dm2SessionRecord, outcome: Dm2SessionOutcome): void {
    this.sessions.inc({ outcome });
    if (record.sent.length > 0) this.commands.inc({ event: 'lost' }, record.sent.length);
    this.duration.observe(Math.max(0, record.lastActivity - record.openedAt) / 1000);
  }
}

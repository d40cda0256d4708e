import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DmSessionRecord } from './session-record.js';

/**
 * How a stored (authenticated) session ended: completed; aborted by the device (Alert 1223); idle; replaced by a new
 * session of the device; refused: it ended while the device refused the server's Cred.
 */
export type DmSessionOutcome = 'completed' | 'aborted' | 'idle' | 'replaced' | 'refused';

/** The DM 1.2/1.3 sessions' Prometheus metrics, registered on the proxy's registry. */
export class DmSessionMetrics {
  private readonly sessions: Counter<'outcome'>;
  private readonly messages: Counter<'direction'>;
  private readonly commands: Counter<'event'>;
  private readonly authFailures: Counter;
  private readonly duration: Histogram;

  /** `openSessions`: how many sessions the store holds now (read when scraped). */
  constructor(registry: Registry, openSessions: () => Promise<number>) {
    const registers = [registry];
    this.sessions = new Counter({ name: 'omadm_sessions_total', help: 'Authenticated DM sessions ended, by outcome', labelNames: ['outcome'], registers });
    this.messages = new Counter({ name: 'omadm_messages_total', help: 'DM SyncML messages received (in) and answered (out)', labelNames: ['direction'], registers });
    // Registered only: its value is read from the store when scraped.
    new Gauge({
      name: 'omadm_sessions_open',
      help: 'Authenticated DM sessions open (stored, not yet ended)',
      registers,
      async collect() {
        this.set(await openSessions());
      },
    });
    this.commands = new Counter({
      name: 'omadm_commands_total',
      help: 'Queued DM commands sent, answered, lost (sent, never answered) or requeued (the device refused the server\'s Cred)',
      labelNames: ['event'],
      registers,
    });
    this.authFailures = new Counter({
      name: 'omadm_auth_failures_total',
      help: 'DM messages refused for their Cred (wrong, unknown DevId, too many tries or locked out); challenges not counted',
      registers,
    });
    this.duration = new Histogram({
      name: 'omadm_session_seconds',
      help: 'Duration of authenticated DM sessions, from their first to their last message',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
  }

  messageIn(): void {
    this.messages.inc({ direction: 'in' });
  }

  messageOut(): void {
    this.messages.inc({ direction: 'out' });
  }

  authFailure(): void {
    this.authFailures.inc();
  }

  commandsSent(count: number): void {
    if (count > 0) this.commands.inc({ event: 'sent' }, count);
  }

  commandAnswered(): void {
    this.commands.inc({ event: 'answered' });
  }

  commandsRequeued(count: number): void {
    if (count > 0) this.commands.inc({ event: 'requeued' }, count);
  }

  /** Call before the record's unanswered commands are forgotten: they are counted lost. */
  sessionEnded(record: DmSessionRecord, outcome: DmSessionOutcome): void {
    this.sessions.inc({ outcome });
    if (record.sent.length > 0) this.commands.inc({ event: 'lost' }, record.sent.length);
    if (record.openedAt !== undefined) this.duration.observe(Math.max(0, record.lastActivity - record.openedAt) / 1000);
  }
}

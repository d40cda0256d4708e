import type { SessionTrigger, WakeOutcome } from './session-trigger.js';

/** A device woken is not woken again for this long unless it opened a session meanwhile (one push per batch of requests). */
const WAKE_AGAIN_AFTER_MS = 30_000;
/** Devices remembered as woken; the oldest are forgotten first (a forgotten one is merely woken once more). */
const MAX_REMEMBERED = 10_000;

/**
 * Wakes a device whose commands were queued, unless it has a session open or was woken a moment ago: concurrent
 * requests for one device share one notification.
 */
export class DeviceWaker {
  private readonly inFlight = new Map<string, Promise<WakeOutcome>>();
  private readonly woken = new Map<string, number>();

  constructor(
    private readonly trigger: SessionTrigger,
    private readonly sessionOpen: (devId: string) => Promise<boolean>,
    private readonly now: () => number = Date.now,
  ) {}

  async wake(devId: string): Promise<WakeOutcome> {
    const at = this.woken.get(devId);
    if (at !== undefined && at > this.now() - WAKE_AGAIN_AFTER_MS) return { ok: true };
    if (await this.sessionOpen(devId)) return { ok: true };
    const running = this.inFlight.get(devId);
    if (running) return running;
    const wake = this.trigger.wake(devId).finally(() => this.inFlight.delete(devId));
    this.inFlight.set(devId, wake);
    const outcome = await wake;
    if (outcome.ok) this.remember(devId);
    return outcome;
  }

  /** The device opened a session: the next request for it after this session wakes it again. */
  sessionOpened(devId: string): void {
    this.woken.delete(devId);
  }

  private remember(devId: string): void {
    this.woken.delete(devId);
    if (this.woken.size >= MAX_REMEMBERED) this.woken.delete(this.woken.keys().next().value as string);
    this.woken.set(devId, this.now());
  }
}

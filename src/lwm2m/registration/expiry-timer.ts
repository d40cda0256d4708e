import { setTimeoutAt, type LongTimer } from '../../core/long-timer.js';

/** One timer at the earliest moment it was armed for; the deadlines themselves live in the registration store. */
export class ExpiryTimer {
  private timer: LongTimer | undefined;
  private dueAt = Infinity;

  constructor(private readonly onDue: () => void) {}

  /** Fires at `at` unless already armed for an earlier moment. */
  armAt(at: number): void {
    if (at >= this.dueAt) return;
    this.timer?.clear();
    this.dueAt = at;
    this.timer = setTimeoutAt(at, () => {
      this.timer = undefined;
      this.dueAt = Infinity;
      this.onDue();
    }).unref();
  }

  close(): void {
    this.timer?.clear();
    this.timer = undefined;
    this.dueAt = Infinity;
  }
}

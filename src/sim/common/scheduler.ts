import { setLongTimeout, type LongTimer } from '../../core/long-timer.js';

/** Timers of one simulated device, so closing the device leaves no pending handle behind. */
export class Scheduler {
  private readonly timers = new Set<LongTimer>();

  after(ms: number, action: () => void): LongTimer {
    const timer = setLongTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: LongTimer | undefined): void {
    if (!timer) return;
    timer.clear();
    this.timers.delete(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) timer.clear();
    this.timers.clear();
  }
}

/**
 * Timers that hold any delay. Node's setTimeout takes at most 2^31-1 ms and fires a longer one after 1 ms
 * (so an X-M2M-RET a month ahead would expire at once); these clamp each underlying timer to that bound and
 * re-arm until the due time. Every timer in the proxy and the simulator whose delay can come from input goes
 * through here.
 */

export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** What the timers run on; tests pass their own to cross the 2^31 ms boundary without waiting 25 days. */
export interface TimerClock {
  now(): number;
  setTimeout(action: () => void, delayMs: number): { unref(): unknown };
  clearTimeout(handle: { unref(): unknown }): void;
}

const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (action, delayMs) => setTimeout(action, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface LongTimer {
  /** Cancels the timer; calling it again, or after the action ran, does nothing. */
  clear(): void;
  /** Does not keep the process alive (kept across re-arms). */
  unref(): LongTimer;
}

/** Runs `action` once the clock reaches `dueAt` (epoch ms), however far ahead; a past or NaN due time runs it on the next turn. */
export function setTimeoutAt(dueAt: number, action: () => void, clock: TimerClock = systemClock): LongTimer {
  let handle: { unref(): unknown } | undefined;
  let referenced = true;
  const arm = (): void => {
    const remaining = dueAt - clock.now();
    handle = clock.setTimeout(tick, Math.min(Math.max(Number.isNaN(remaining) ? 0 : remaining, 0), MAX_TIMER_DELAY_MS));
    if (!referenced) handle.unref();
  };
  function tick(): void {
    handle = undefined;
    if (dueAt - clock.now() > 0) arm();
    else action();
  }
  arm();
  const timer: LongTimer = {
    clear() {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
    unref() {
      referenced = false;
      handle?.unref();
      return timer;
    },
  };
  return timer;
}

/** setTimeout for any delay in ms (Infinity never fires). */
export function setLongTimeout(action: () => void, delayMs: number, clock: TimerClock = systemClock): LongTimer {
  return setTimeoutAt(clock.now() + delayMs, action, clock);
}

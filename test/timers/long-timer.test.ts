import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TIMER_DELAY_MS, setLongTimeout, setTimeoutAt, type TimerClock } from '../../src/core/long-timer.js';

/**
 * A virtual clock that behaves like Node's timers, overflow included: a delay above 2^31-1 ms runs after 1 ms.
 * It records every delay asked for, so a test sees whether the helper ever passed an unclamped one.
 */
class VirtualClock implements TimerClock {
  time = 0;
  readonly delays: number[] = [];
  /** Times at which a handle was unref-ed. */
  readonly unrefs: number[] = [];
  private readonly pending = new Set<{ at: number; action: () => void; unref(): unknown }>();

  now(): number {
    return this.time;
  }

  setTimeout(action: () => void, delayMs: number) {
    this.delays.push(delayMs);
    const entry = {
      at: this.time + (delayMs > MAX_TIMER_DELAY_MS ? 1 : Math.max(1, delayMs)),
      action,
      unref: () => this.unrefs.push(this.time),
    };
    this.pending.add(entry);
    return entry;
  }

  clearTimeout(handle: { unref(): unknown }): void {
    this.pending.delete(handle as never);
  }

  /** Moves time forward to `until`, running each timer at its own time. */
  advanceTo(until: number): void {
    for (;;) {
      const next = [...this.pending].filter((entry) => entry.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.pending.delete(next);
      this.time = next.at;
      next.action();
    }
    this.time = until;
  }

  get armed(): number {
    return this.pending.size;
  }
}

for (const delay of [MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS + 1, 3_000_000_000, 40 * 365 * 86_400_000]) {
  test(`a timer ${delay} ms ahead fires at its time, not before, and never asks for more than 2^31-1 ms`, () => {
    const clock = new VirtualClock();
    let firedAt: number | undefined;
    setLongTimeout(() => { firedAt = clock.time; }, delay, clock);
    clock.advanceTo(delay - 1);
    assert.equal(firedAt, undefined, 'not fired one ms early');
    clock.advanceTo(delay);
    assert.equal(firedAt, delay);
    assert.ok(clock.delays.every((ms) => ms >= 0 && ms <= MAX_TIMER_DELAY_MS), `delays asked: ${clock.delays.join(', ')}`);
    assert.equal(clock.armed, 0);
  });
}

test('an absolute due time in the past, now or NaN fires on the next turn; Infinity never fires', () => {
  const clock = new VirtualClock();
  clock.time = 1_000;
  const fired: string[] = [];
  setTimeoutAt(0, () => fired.push('past'), clock);
  setTimeoutAt(1_000, () => fired.push('now'), clock);
  setTimeoutAt(Number.NaN, () => fired.push('nan'), clock);
  setLongTimeout(() => fired.push('never'), Number.POSITIVE_INFINITY, clock);
  clock.advanceTo(1_001);
  assert.deepEqual(fired.sort(), ['nan', 'now', 'past']);
  clock.advanceTo(10 * MAX_TIMER_DELAY_MS);
  assert.deepEqual(fired.sort(), ['nan', 'now', 'past']);
  assert.ok(clock.delays.every((ms) => ms <= MAX_TIMER_DELAY_MS));
});

test('clear stops a timer between re-arms; unref is kept on every re-armed handle', () => {
  const clock = new VirtualClock();
  let fired = false;
  const timer = setLongTimeout(() => { fired = true; }, 3 * MAX_TIMER_DELAY_MS, clock).unref();
  clock.advanceTo(2 * MAX_TIMER_DELAY_MS + 5);
  assert.deepEqual(clock.unrefs, [0, MAX_TIMER_DELAY_MS, 2 * MAX_TIMER_DELAY_MS], 'the first handle and the two re-armed ones are unref-ed');
  timer.clear();
  clock.advanceTo(4 * MAX_TIMER_DELAY_MS);
  assert.equal(fired, false);
  timer.clear();
});

test('on the real clock, a timer 2^31 ms ahead has not fired when a 20 ms timer set after it fires', async () => {
  let fired = false;
  const long = setLongTimeout(() => { fired = true; }, MAX_TIMER_DELAY_MS + 1).unref();
  await new Promise((resolve) => setLongTimeout(() => resolve(undefined), 20));
  long.clear();
  assert.equal(fired, false, 'Node runs an overflowing setTimeout after 1 ms; the long timer must not');
});

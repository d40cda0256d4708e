import { percentile, rounded } from '../stats.js';
import type { SessionFigures } from './dm-load-spec.js';

/** One session's times (ms): the session itself, and for the subject the whole cycle around it. */
export interface SessionTimes {
  sessionMs: number;
  cycleMs?: number;
  /** Subject only: GETs of the device's `queued` before the session. */
  polls?: number;
}

/**
 * `warmup` then `sessions` sessions over `workers` workers (worker w runs its sessions one after the other, e.g. as
 * device w), and the figures of the measured ones.
 */
export async function driveSessions(
  workers: number,
  sessions: number,
  warmup: number,
  run: (worker: number) => Promise<SessionTimes>,
): Promise<SessionFigures> {
  await drive(workers, warmup, run);
  const times: SessionTimes[] = [];
  const start = performance.now();
  await drive(workers, sessions, run, times);
  const elapsedMs = performance.now() - start;
  const sessionMs = times.map((time) => time.sessionMs).sort((a, b) => a - b);
  const cycleMs = times.flatMap((time) => (time.cycleMs === undefined ? [] : [time.cycleMs])).sort((a, b) => a - b);
  return {
    sessions,
    concurrency: workers,
    elapsedMs: rounded(elapsedMs),
    sessionsPerSec: rounded((sessions * 1000) / elapsedMs, 1),
    p50Ms: rounded(percentile(sessionMs, 0.5)),
    p99Ms: rounded(percentile(sessionMs, 0.99)),
    ...(cycleMs.length > 0 ? { cycleP50Ms: rounded(percentile(cycleMs, 0.5)), cycleP99Ms: rounded(percentile(cycleMs, 0.99)) } : {}),
    ...(times[0]?.polls !== undefined ? { pollsPerSession: rounded(times.reduce((sum, time) => sum + (time.polls ?? 0), 0) / times.length, 1) } : {}),
  };
}

async function drive(workers: number, count: number, run: (worker: number) => Promise<SessionTimes>, times?: SessionTimes[]): Promise<void> {
  let next = 0;
  const worker = async (w: number): Promise<void> => {
    while (next < count) {
      next++;
      times?.push(await run(w));
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, (_, w) => worker(w)));
}

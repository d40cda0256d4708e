/** Latency and throughput of one series of timed operations. */
export interface SeriesStats {
  n: number;
  p50Ms: number;
  p99Ms: number;
  /** Operations per second over the whole series. */
  throughput: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

export function summarize(durationsMs: readonly number[], totalMs: number): SeriesStats {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const round = (value: number) => Number(value.toFixed(4));
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    throughput: round((sorted.length * 1000) / totalMs),
  };
}

/** Runs `operation` n times one after another, timing each. */
export async function timeSeries(n: number, operation: () => Promise<unknown> | unknown): Promise<SeriesStats> {
  const durations: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const before = performance.now();
    await operation();
    durations.push(performance.now() - before);
  }
  return summarize(durations, performance.now() - start);
}

/** Subject relative to its baseline: >1 means the subject takes longer (latency) or does less per second (throughput). */
export function ratios(subject: SeriesStats, baseline: SeriesStats): { p50: number; p99: number; throughput: number } {
  const round = (value: number) => Number(value.toFixed(3));
  return {
    p50: round(subject.p50Ms / baseline.p50Ms),
    p99: round(subject.p99Ms / baseline.p99Ms),
    throughput: round(subject.throughput / baseline.throughput),
  };
}

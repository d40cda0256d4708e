/** How big a bench run is: `BENCH_QUICK=1` proves every scenario runs (well within 60 s); the default measures. */
export interface BenchSettings {
  quick: boolean;
  rounds: number;
  /** Measured requests per load generator run, and the unmeasured ones sent first. */
  requests: number;
  warmup: number;
  /** A single request without an answer this long fails the bench. */
  requestTimeoutMs: number;
  /** Upper bound of one load generator run. */
  runTimeoutMs: number;
}

export function benchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  return quick
    ? { quick, rounds: 3, requests: 100, warmup: 20, requestTimeoutMs: 10_000, runTimeoutMs: 30_000 }
    : { quick, rounds: 5, requests: 2000, warmup: 200, requestTimeoutMs: 10_000, runTimeoutMs: 120_000 };
}

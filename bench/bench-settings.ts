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

/** `BENCH_ROUNDS` and `BENCH_REQUESTS` override the rounds and the measured requests per run of either size. */
export function benchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  const defaults = quick
    ? { quick, rounds: 3, requests: 100, warmup: 20, requestTimeoutMs: 10_000, runTimeoutMs: 30_000 }
    : { quick, rounds: 5, requests: 2000, warmup: 200, requestTimeoutMs: 10_000, runTimeoutMs: 120_000 };
  return {
    ...defaults,
    rounds: positiveInteger(env, 'BENCH_ROUNDS') ?? defaults.rounds,
    requests: positiveInteger(env, 'BENCH_REQUESTS') ?? defaults.requests,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${text}"`);
  return value;
}

/** What the load generator sends: the same request to each target in turn. */
export type LoadTarget =
  | { kind: 'http'; url: string; headers: Record<string, string>; expectRsc: string }
  | { kind: 'coap'; host: string; port: number; path: string[]; accept: number };

export interface LoadSpec {
  targets: LoadTarget[];
  /** Measured requests; `warmup` more go first, unmeasured. */
  requests: number;
  warmup: number;
  concurrency: number;
  /** A request without an answer this long fails the run. */
  timeoutMs: number;
}

/** The load generator's one stdout line. */
export interface LoadFigures {
  requests: number;
  concurrency: number;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** One request to one target; rejects when the answer is not the expected success. */
export type SendRequest = (target: number) => Promise<void>;

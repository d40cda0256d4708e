import type { BenchSettings } from '../bench-settings.js';
import type { LoadFigures, LoadSpec, LoadTarget } from '../load/load-spec.js';
import { BenchChild } from './bench-child.js';
import { LOAD_GENERATOR } from './built-scripts.js';

/** Runs the load generator as its own process and returns its figures; rejects when it fails or takes too long. */
export function runLoad(spec: LoadSpec, timeoutMs: number): Promise<LoadFigures> {
  return runScript<LoadFigures>('load generator', LOAD_GENERATOR, spec, timeoutMs);
}

/** Runs `script` with its spec as JSON argument in its own process and returns its last stdout line, parsed. */
export async function runScript<T>(name: string, script: string, spec: unknown, timeoutMs: number): Promise<T> {
  const child = new BenchChild(name, [script, JSON.stringify(spec)]);
  const code = await child.exit(timeoutMs);
  const last = child.lines.at(-1);
  if (code !== 0 || last === undefined) throw child.failure(`exited with ${code}`);
  return JSON.parse(last) as T;
}

/** One measured run against `targets` at `concurrency`, sized by the bench settings. */
export function loadRun(settings: BenchSettings, targets: LoadTarget[], concurrency: number): () => Promise<LoadFigures> {
  const spec: LoadSpec = { targets, requests: settings.requests, warmup: settings.warmup, concurrency, timeoutMs: settings.requestTimeoutMs };
  return () => runLoad(spec, settings.runTimeoutMs);
}

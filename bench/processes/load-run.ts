import type { LoadFigures, LoadSpec } from '../load/load-spec.js';
import { BenchChild } from './bench-child.js';
import { LOAD_GENERATOR } from './built-scripts.js';

/** Runs the load generator as its own process and returns its figures; rejects when it fails or takes too long. */
export async function runLoad(spec: LoadSpec, timeoutMs: number): Promise<LoadFigures> {
  const child = new BenchChild('load generator', [LOAD_GENERATOR, JSON.stringify(spec)]);
  const code = await child.exit(timeoutMs);
  const last = child.lines.at(-1);
  if (code !== 0 || last === undefined) throw child.failure(`exited with ${code}`);
  return JSON.parse(last) as LoadFigures;
}

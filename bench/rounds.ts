import type { LoadFigures } from './load/load-spec.js';
import { minMedian } from './stats.js';

export interface Round<F = LoadFigures> {
  subject: F;
  baseline: F;
}

/** Subject and baseline alternate (subject, baseline, subject, …) so that a slow phase of the machine hits both. */
export async function interleavedRounds<F = LoadFigures>(count: number, subject: () => Promise<F>, baseline: () => Promise<F>): Promise<Array<Round<F>>> {
  const rounds: Array<Round<F>> = [];
  for (let i = 0; i < count; i++) rounds.push({ subject: await subject(), baseline: await baseline() });
  return rounds;
}

/** The figures of a scenario line: each one's median over the rounds at the top, its minimum under `min`. */
export function roundFigures<R, K extends string>(rounds: R[], figures: Record<K, (round: R) => number>): Record<K, number> & { min: Record<K, number> } {
  const medians = {} as Record<K, number>;
  const minimums = {} as Record<K, number>;
  for (const name of Object.keys(figures) as K[]) {
    const { min, median } = minMedian(rounds.map(figures[name]));
    medians[name] = median;
    minimums[name] = min;
  }
  return { ...medians, min: minimums };
}

/** The value at `fraction` (0–1) of the sorted values (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function rounded(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

/** Min and median of one figure over the rounds. */
export function minMedian(values: readonly number[]): { min: number; median: number } {
  return { min: rounded(Math.min(...values)), median: rounded(median(values)) };
}

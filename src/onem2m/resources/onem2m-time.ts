/** The last second formatted: every response carries the current time, many of them within one second. */
let lastFormatted = { second: Number.NaN, text: '' };

/** oneM2M timestamp `YYYYMMDDTHHMMSS` (UTC, ISO 8601 basic format as TS-0004 uses it). */
export function oneM2MTimestamp(date?: Date): string {
  const millis = date === undefined ? Date.now() : date.getTime();
  const second = Math.floor(millis / 1000);
  if (second === lastFormatted.second) return lastFormatted.text;
  const text = new Date(millis).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  lastFormatted = { second, text };
  return text;
}

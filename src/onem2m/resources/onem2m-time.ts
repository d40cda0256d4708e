/** The text of the second last formatted: every resource made or changed within one second asks for it again. */
let last = { second: Number.NaN, text: '' };

/** oneM2M timestamp `YYYYMMDDTHHMMSS` (UTC, ISO 8601 basic format as TS-0004 uses it). */
export function oneM2MTimestamp(date: Date = new Date()): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== last.second) last = { second, text: date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '') };
  return last.text;
}

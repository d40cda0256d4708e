/** oneM2M timestamp `YYYYMMDDTHHMMSS` (UTC, ISO 8601 basic format as TS-0004 uses it). */
export function oneM2MTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
}

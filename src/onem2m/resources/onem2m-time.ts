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

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:,(\d{1,6}))?$/;

/** `YYYYMMDDTHHMMSS[,ffffff]` (UTC) as epoch milliseconds; undefined when it is no such timestamp or names no real date. */
export function parseOneM2MTimestamp(text: string): number | undefined {
  const parts = TIMESTAMP.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20250230 over to 20250302: a date that does not read back the same does not exist
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day
    || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) return undefined;
  const fraction = parts[7] === undefined ? 0 : Math.floor(Number(`0.${parts[7]}`) * 1000);
  return date.getTime() + fraction;
}

/** oneM2M timestamps (`m2m:timestamp`, ISO 8601 basic format in UTC): `YYYYMMDDTHHMMSS[,ffffff]`. */
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[,.](\d{1,9}))?Z?$/;

/** Epoch ms of a oneM2M timestamp, or undefined when it is not one (including impossible dates like month 13). */
export function parseTimestamp(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const ms = match[7] ? Math.floor(Number(`0.${match[7]}`) * 1000) : 0;
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(epoch);
  const exact = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    && check.getUTCHours() === hour && check.getUTCMinutes() === minute && check.getUTCSeconds() === second;
  return exact ? epoch : undefined;
}

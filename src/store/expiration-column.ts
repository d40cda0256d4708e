/** The `et_seconds` column: a resource's expirationTime as epoch seconds, so expired resources are found by an index. */

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:,\d{1,6})?$/;

/** `attrs.et` as epoch seconds (a fraction rounded up: not expired before it); null when absent or no timestamp. */
export function expirationSeconds(attrs: Record<string, unknown>): number | null {
  const et = attrs.et;
  if (typeof et !== 'string') return null;
  const parts = TIMESTAMP.exec(et);
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  if (!Number.isFinite(seconds)) return null;
  return et.includes(',') ? seconds + 1 : seconds;
}

/**
 * Lenient readers for values as devices deliver them: LwM2M decoders give numbers, bigints,
 * booleans and Buffers; OMA DM gives text. Anything unreadable is `undefined`, never an exception.
 */

export function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  if (typeof value === 'string' && /^\s*-?\d{1,16}\s*$/.test(value)) return asInteger(Number(value));
  return undefined;
}

/** An integer within [min, max], else undefined. */
export function asIntegerIn(value: unknown, min: number, max: number): number | undefined {
  const n = asInteger(value);
  return n !== undefined && n >= min && n <= max ? n : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  return undefined;
}

export function asBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

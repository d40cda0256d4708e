import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Byte equality whose time depends on neither the content nor the lengths: both sides are hashed to equal-length
 * digests first, then compared in constant time.
 */
export function sameBytes(received: Buffer, expected: Buffer): boolean {
  const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

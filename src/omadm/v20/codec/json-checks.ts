import { Dm2DecodeError } from './decode-error.js';
import type { Dm2Limits } from './limits.js';

/** Field checks that name the offending field: every failure is a Dm2DecodeError 400. */
export class JsonChecks {
  constructor(private readonly limits: Dm2Limits) {}

  fail(where: string, problem: string): never {
    throw new Dm2DecodeError(400, `${where} ${problem}`);
  }

  object(value: unknown, where: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(where, 'must be a JSON object');
    return value as Record<string, unknown>;
  }

  /** A list (absent: empty when `optional`). */
  list(value: unknown, where: string, optional = true): unknown[] {
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) this.fail(where, 'must be a JSON array');
    if (value.length > this.limits.maxItems) this.fail(where, `has ${value.length} entries, more than ${this.limits.maxItems}`);
    return value;
  }

  text(value: unknown, where: string): string {
    if (typeof value !== 'string') this.fail(where, 'must be a string');
    if (value.length > this.limits.maxTextLength) this.fail(where, `is longer than ${this.limits.maxTextLength} characters`);
    return value;
  }

  optionalText(value: unknown, where: string): string | undefined {
    return value === undefined ? undefined : this.text(value, where);
  }

  /** An integer in [min, max]. */
  integer(value: unknown, where: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(where, `must be an integer from ${min} to ${max}`);
    return value;
  }
}

/** JSON helpers for the JSON formats: strict parsing, and writing by hand so 64-bit integers (bigint) keep every digit. */
import { decodeUtf8 } from './values.js';
import { Lwm2mDecodeError, Lwm2mEncodeError } from './model.js';

export function parseJson(payload: Buffer, format: string): unknown {
  const text = decodeUtf8(payload, `${format} payload`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Lwm2mDecodeError(`${format} payload is not valid JSON: ${(error as Error).message}`);
  }
}

export type JsonScalar = string | number | bigint | boolean;

function jsonScalar(value: JsonScalar): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Lwm2mEncodeError(`JSON cannot carry the number ${value}`);
  return String(value);
}

/** `{"k":v,...}` from members whose values are scalars or already-serialised JSON (`{ json: text }`). */
export function jsonObject(members: [string, JsonScalar | { json: string }][]): string {
  const parts = members.map(([key, value]) => `${JSON.stringify(key)}:${typeof value === 'object' ? value.json : jsonScalar(value)}`);
  return `{${parts.join(',')}}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

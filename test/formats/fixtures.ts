/** Shared test data: the Device object example of the LwM2M core specification in every format, and small helpers. */
import type { ResourceValue } from '../../src/lwm2m/formats/model.js';

/** Hex with spaces/newlines allowed. */
export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

export function concat(...parts: (Buffer | string)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

/** Read of /3/0 from the specification's TLV example. */
export const DEVICE_TLV = concat(
  hex('c8 00 14'), 'Open Mobile Alliance',
  hex('c8 01 16'), 'Lightweight M2M Client',
  hex('c8 02 09'), '345000123',
  hex('c3 03'), '1.0',
  hex('86 06 41 00 01 41 01 05'),
  hex('88 07 08 42 00 0e d8 42 01 13 88'),
  hex('87 08 41 00 7d 42 01 03 84'),
  hex('c1 09 64'),
  hex('c1 0a 0f'),
  hex('83 0b 41 00 00'),
  hex('c4 0d 51 82 42 8f'),
  hex('c6 0e'), '+02:00',
  hex('c1 10'), 'U',
);

export const DEVICE_VALUES: ResourceValue[] = [
  { path: [3, 0, 0], value: 'Open Mobile Alliance' },
  { path: [3, 0, 1], value: 'Lightweight M2M Client' },
  { path: [3, 0, 2], value: '345000123' },
  { path: [3, 0, 3], value: '1.0' },
  { path: [3, 0, 6, 0], value: 1 },
  { path: [3, 0, 6, 1], value: 5 },
  { path: [3, 0, 7, 0], value: 3800 },
  { path: [3, 0, 7, 1], value: 5000 },
  { path: [3, 0, 8, 0], value: 125 },
  { path: [3, 0, 8, 1], value: 900 },
  { path: [3, 0, 9], value: 100 },
  { path: [3, 0, 10], value: 15 },
  { path: [3, 0, 11, 0], value: 0 },
  { path: [3, 0, 13], value: 1367491215 },
  { path: [3, 0, 14], value: '+02:00' },
  { path: [3, 0, 16], value: 'U' },
];

/** The same read in SenML JSON, as in the LwM2M 1.1 specification example. */
export const DEVICE_SENML_JSON = JSON.stringify([
  { bn: '/3/0/', n: '0', vs: 'Open Mobile Alliance' },
  { n: '1', vs: 'Lightweight M2M Client' },
  { n: '2', vs: '345000123' },
  { n: '3', vs: '1.0' },
  { n: '6/0', v: 1 },
  { n: '6/1', v: 5 },
  { n: '7/0', v: 3800 },
  { n: '7/1', v: 5000 },
  { n: '8/0', v: 125 },
  { n: '8/1', v: 900 },
  { n: '9', v: 100 },
  { n: '10', v: 15 },
  { n: '11/0', v: 0 },
  { n: '13', v: 1367491215 },
  { n: '14', vs: '+02:00' },
  { n: '16', vs: 'U' },
]);

/** The same read in the LwM2M 1.0 JSON format. */
export const DEVICE_LWM2M_JSON = JSON.stringify({
  bn: '/3/0/',
  e: [
    { n: '0', sv: 'Open Mobile Alliance' },
    { n: '1', sv: 'Lightweight M2M Client' },
    { n: '2', sv: '345000123' },
    { n: '3', sv: '1.0' },
    { n: '6/0', v: 1 },
    { n: '6/1', v: 5 },
    { n: '7/0', v: 3800 },
    { n: '7/1', v: 5000 },
    { n: '8/0', v: 125 },
    { n: '8/1', v: 900 },
    { n: '9', v: 100 },
    { n: '10', v: 15 },
    { n: '11/0', v: 0 },
    { n: '13', v: 1367491215 },
    { n: '14', sv: '+02:00' },
    { n: '16', sv: 'U' },
  ],
});

/** Deterministic pseudo-random bytes (xorshift32) so fuzz failures reproduce. */
export function randomBytes(seed: number, length: number): Buffer {
  let state = seed || 1;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContentFormat, encodeContent } from '../../src/lwm2m/formats/index.js';
import type { ResourceValue } from '../../src/lwm2m/formats/model.js';
import type { Exchange } from '../../src/lwm2m/management/device-channel.js';
import type { ManagementContext } from '../../src/lwm2m/management/management-context.js';
import { decodeAnswer } from '../../src/lwm2m/management/negotiated-exchange.js';
import { resourceType } from '../../src/lwm2m/objects/registry.js';

const io = { types: resourceType } as ManagementContext;
const PATH = [3, 0];
const VALUES: ResourceValue[] = [
  { path: [3, 0, 0], value: 'Simulated Devices Ltd' },
  { path: [3, 0, 13], value: 1_700_000_000 },
];

function answer(payload: Buffer, sharedWork?: Map<string, unknown>): { exchange: Exchange; format: number } {
  const exchange = { code: '2.05', payload, contentFormat: ContentFormat.SENML_CBOR, client: {}, ...(sharedWork ? { sharedWork } : {}) } as unknown as Exchange;
  return { exchange, format: ContentFormat.SENML_CBOR };
}

test('the callers of one shared read decode its answer once: each its own array of the same frozen values', () => {
  const payload = encodeContent(ContentFormat.SENML_CBOR, VALUES, PATH, resourceType);
  const shared = new Map<string, unknown>();
  const first = decodeAnswer(io, answer(payload, shared), PATH);
  // the second caller's copy is not decoded again: its bytes (here deliberately undecodable) are never looked at
  const second = decodeAnswer(io, answer(Buffer.from([0xff]), shared), PATH);
  assert.deepEqual(first, VALUES);
  assert.deepEqual(second, VALUES);
  assert.notEqual(first, second, 'each caller its own array');
  first.push({ path: [3, 0, 1], value: 'x' });
  assert.equal(decodeAnswer(io, answer(payload, shared), PATH).length, 2);
  assert.ok(second.every((value) => Object.isFrozen(value) && Object.isFrozen(value.path)));
  assert.throws(() => decodeAnswer(io, answer(payload, shared), [3, 1]), /decode-error|outside/, 'another path is decoded on its own');
});

test('an answer of one caller is decoded as it comes, never kept', () => {
  const payload = encodeContent(ContentFormat.SENML_CBOR, VALUES, PATH, resourceType);
  const values = decodeAnswer(io, answer(payload), PATH);
  assert.deepEqual(values, VALUES);
  assert.ok(!Object.isFrozen(values[0]));
  assert.throws(() => decodeAnswer(io, answer(Buffer.from([0xff])), PATH), (error: Error) => /content format 112/.test(error.message));
});

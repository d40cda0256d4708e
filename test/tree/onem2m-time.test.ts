import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneM2MTimestamp } from '../../src/onem2m/resources/onem2m-time.js';

test('oneM2M timestamps: each second its own, whatever order the seconds come in; no date: now', () => {
  const at = (iso: string) => oneM2MTimestamp(new Date(iso));
  assert.equal(at('2024-05-06T07:08:09.000Z'), '20240506T070809');
  assert.equal(at('2024-05-06T07:08:09.999Z'), '20240506T070809');
  assert.equal(at('2024-05-06T07:08:10.001Z'), '20240506T070810');
  assert.equal(at('2024-05-06T07:08:09.500Z'), '20240506T070809');
  assert.equal(at('1969-12-31T23:59:59.500Z'), '19691231T235959');
  assert.throws(() => oneM2MTimestamp(new Date(Number.NaN)), RangeError);
  const before = oneM2MTimestamp(new Date());
  const now = oneM2MTimestamp();
  const after = oneM2MTimestamp(new Date());
  assert.ok(before <= now && now <= after, `${before} <= ${now} <= ${after}`);
});

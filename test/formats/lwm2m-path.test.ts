import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePath } from '../../src/lwm2m/formats/path.js';

test('LwM2M paths: up to four IDs of 0-65535 in decimal without leading zeros, anything else is no path', () => {
  const paths: Array<[string, number[] | undefined]> = [
    ['/', []], ['/3', [3]], ['/3/0', [3, 0]], ['/3/0/13', [3, 0, 13]], ['/3/0/7/1', [3, 0, 7, 1]],
    ['/0/0/0/0', [0, 0, 0, 0]], ['/65535/65535', [65535, 65535]], ['/10241/0/1', [10241, 0, 1]],
    ['', undefined], ['3/0', undefined], ['/3/', undefined], ['//', undefined], ['/3//0', undefined],
    ['/3/0/7/1/2', undefined], ['/65536', undefined], ['/99999', undefined], ['/100000', undefined], ['/012', undefined],
    ['/00', undefined], ['/-1', undefined], ['/+1', undefined], ['/1e3', undefined], ['/ 3', undefined], ['/3 ', undefined],
    ['/3.0', undefined], ['/٣', undefined], ['/a', undefined], [' /3', undefined],
  ];
  for (const [text, expected] of paths) assert.deepEqual(parsePath(text), expected, JSON.stringify(text));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newResourceId } from '../../src/onem2m/resources/resource-ids.js';

test('resource ids: the type prefix and 15 URL-safe characters, all distinct; ids of the same second share their leading characters', () => {
  const ids = Array.from({ length: 20_000 }, () => newResourceId('m2m:nod'));
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^nod[\w-]{15}$/);
  const second = Math.floor(Date.now() / 1000);
  const [a, b] = [newResourceId('m2m:mgo'), newResourceId('m2m:mgo')];
  // the 24-bit second fills the first four characters
  if (Math.floor(Date.now() / 1000) === second) assert.equal(a.slice(0, 7), b.slice(0, 7));
});

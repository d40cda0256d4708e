import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyCache } from '../../src/lwm2m/transport/reply-cache.js';

test('reply cache: a duplicate gets the kept answer; the oldest go first beyond the count, and after the age limit', () => {
  const cache = new ReplyCache(3, 1000);
  assert.equal(cache.arrived('a', 0).state, 'new');
  assert.equal(cache.arrived('a', 1).state, 'pending');
  cache.answered('a', Buffer.from([1, 2]));
  assert.deepEqual(cache.arrived('a', 2), { state: 'answered', reply: Buffer.from([1, 2]) });
  for (const key of ['b', 'c', 'd']) assert.equal(cache.arrived(key, 10).state, 'new');
  assert.equal(cache.size, 3);
  assert.equal(cache.arrived('a', 11).state, 'new', 'the oldest went when a fourth arrived');
  assert.equal(cache.arrived('d', 1009).state, 'pending');
  assert.equal(cache.arrived('d', 1011).state, 'new', 'older than the age limit: gone');

  const many = new ReplyCache(100, 60_000);
  for (let i = 0; i < 10_000; i++) many.arrived(`k${i}`, i);
  assert.equal(many.size, 100);
  assert.equal(many.arrived('k9950', 10_000).state, 'pending');
  assert.equal(many.arrived('k5', 10_000).state, 'new');
});

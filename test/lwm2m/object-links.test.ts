import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseObjectLinks } from '../../src/lwm2m/registration/object-links.js';
import { Lwm2mRequestError } from '../../src/lwm2m/request-error.js';

test('the same Register payload gives one shared, frozen object list; another payload its own; a bad one still 4.00', () => {
  const payload = '</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</5>;ver=1.1';
  const first = parseObjectLinks(Buffer.from(payload));
  const again = parseObjectLinks(Buffer.from(payload));
  assert.equal(again, first);
  assert.deepEqual(first, { rootPath: '', preferredFormat: 11543, objects: [[1, 0], [3, 0], [5]], objectVersions: { 5: '1.1' } });
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.objects) && Object.isFrozen(first.objects[0]) && Object.isFrozen(first.objectVersions));
  assert.throws(() => first.objects[0].push(1), TypeError);

  const other = parseObjectLinks(Buffer.from('</1/0>,</3/0>'));
  assert.notEqual(other.objects, first.objects);
  assert.deepEqual(other.objects, [[1, 0], [3, 0]]);
  for (let i = 0; i < 100; i++) parseObjectLinks(Buffer.from(`</3/${i}>`));
  assert.deepEqual(parseObjectLinks(Buffer.from(payload)), first, 'a payload parsed again after others pushed it out');
  for (let i = 0; i < 2; i++) assert.throws(() => parseObjectLinks(Buffer.from('</3/x>')), (err: unknown) => err instanceof Lwm2mRequestError && err.code === '4.00');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartupError } from '../../../src/core/startup-error.js';
import { MIN_ENROL_SECRET_LENGTH, enrolmentRule, globMatcher } from '../../../src/omadm/v13/auth/index.js';

const SECRET = 'fleet-secret-0123456789';

test('globMatcher: * is any run (empty too), everything else literal', () => {
  const cases: Array<[string, string, boolean]> = [
    ['IMEI:35*', 'IMEI:35', true], ['IMEI:35*', 'IMEI:3512', true], ['IMEI:35*', 'IMEI:3', false], ['IMEI:35*', 'imei:35', false],
    ['*', '', true], ['*', 'anything', true], ['', '', true], ['', 'x', false], ['exact', 'exact', true], ['exact', 'exact!', false],
    ['a*b*c', 'abc', true], ['a*b*c', 'axxbyyc', true], ['a*b*c', 'acb', false], ['a*a', 'a', false], ['a*a', 'aa', true],
    ['*ab*ab*', 'abab', true], ['*ab*ab*', 'aab', false], ['*aab', 'aaab', true], ['*abcabd*', 'abcabcabd', true],
    ['IMEI:?1', 'IMEI:?1', true], ['IMEI:?1', 'IMEI:01', false], ['[a]*', '[a]z', true], ['.*', 'x', false],
  ];
  for (const [pattern, text, expected] of cases) assert.equal(globMatcher(pattern)(text), expected, `${pattern} ~ ${text}`);
});

test('globMatcher takes linear time on inputs that make backtracking matchers explode', () => {
  const pattern = `${'*a'.repeat(2000)}*b`;
  const text = 'a'.repeat(200_000);
  const matches = globMatcher(pattern);
  const started = performance.now();
  assert.equal(matches(text), false);
  assert.equal(matches(`${text}b`), true);
  // A stall guard, not a speed target: O(n·m) here would be 4·10⁸ steps per call.
  assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
});

test('a matching unknown device gets md5 with the fleet secret both ways, its LocName or else its DevId as user', () => {
  const rule = enrolmentRule({ devIdPattern: 'IMEI:35*', secret: SECRET, serverId: 'dm-proxy' });
  assert.deepEqual(rule('IMEI:3512', 'dmuser'), { auth: 'md5', client: { user: 'dmuser', secret: SECRET }, server: { id: 'dm-proxy', secret: SECRET } });
  assert.equal(rule('IMEI:3512')?.client.user, 'IMEI:3512');
  assert.equal(rule('IMEI:3512', '')?.client.user, 'IMEI:3512');
  assert.equal(rule('IMEI:4711', 'dmuser'), undefined);
  assert.equal(enrolmentRule({ devIdPattern: '*', secret: SECRET, serverId: 'x' })(''), undefined, 'never an empty DevId');
});

test('no settings: no device enrols', () => {
  assert.equal(enrolmentRule({ serverId: 'dm-proxy' })('IMEI:1'), undefined);
});

test('only one of the two settings, or a short secret, is a StartupError naming the setting and hiding the secret', () => {
  assert.throws(() => enrolmentRule({ devIdPattern: 'IMEI:*', serverId: 's' }), (e: unknown) => e instanceof StartupError && /DM_ENROL_SECRET/.test(e.message));
  assert.throws(() => enrolmentRule({ secret: SECRET, serverId: 's' }), (e: unknown) => e instanceof StartupError && /DM_ENROL_DEVID/.test(e.message));
  const short = 'x'.repeat(MIN_ENROL_SECRET_LENGTH - 1);
  assert.throws(() => enrolmentRule({ devIdPattern: 'IMEI:*', secret: short, serverId: 's' }), (e: unknown) => e instanceof StartupError && !e.message.includes(short));
});

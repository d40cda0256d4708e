import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/core/config.js';
import { StartupError } from '../../src/core/startup-error.js';

test('NOTIFY_RETRIES and NOTIFY_BACKOFF_MS default to 5 retries and 1000 ms', () => {
  const config = loadConfig({});
  assert.equal(config.notifyRetries, 5);
  assert.equal(config.notifyBackoffMs, 1000);
});

test('NOTIFY_RETRIES 0–100 and NOTIFY_BACKOFF_MS 1–300000 are taken as given', () => {
  assert.deepEqual(
    [0, 100].map((n) => loadConfig({ NOTIFY_RETRIES: String(n) }).notifyRetries),
    [0, 100],
  );
  assert.deepEqual(
    [1, 300_000].map((n) => loadConfig({ NOTIFY_BACKOFF_MS: String(n) }).notifyBackoffMs),
    [1, 300_000],
  );
});

for (const [setting, value, allowed] of [
  ['NOTIFY_RETRIES', '-1', 'an integer from 0 to 100'],
  ['NOTIFY_RETRIES', '101', 'an integer from 0 to 100'],
  ['NOTIFY_RETRIES', 'many', 'an integer from 0 to 100'],
  ['NOTIFY_BACKOFF_MS', '0', 'an integer from 1 to 300000'],
  ['NOTIFY_BACKOFF_MS', '300001', 'an integer from 1 to 300000'],
  ['NOTIFY_BACKOFF_MS', '1.5', 'an integer from 1 to 300000'],
]) {
  test(`${setting}=${value} is refused, naming the setting, the value and what is allowed`, () => {
    assert.throws(() => loadConfig({ [setting]: value }), (error: unknown) => {
      assert.ok(error instanceof StartupError);
      assert.equal(error.message, `${setting}=${JSON.stringify(value)} is not valid: ${allowed}`);
      return true;
    });
  });
}

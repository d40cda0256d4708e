import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-copy.js';

const CHECK = join(PROJECT_ROOT, '.ci/test-peers');

/** Runs the pretest check with PATH limited to `dir`, which holds only `id` (no apt-get, so nothing is installed). */
function check(dir: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', [CHECK], { env: { PATH: dir }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const bare = mkdtempSync(join(tmpdir(), 'dm-proxy-peers-'));
symlinkSync('/usr/bin/id', join(bare, 'id'));
after(() => rmSync(bare, { recursive: true, force: true }));

test('without the test peers and without apt-get, the check stops with one line naming both packages', async () => {
  const result = await check(bare);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /libcoap3-bin/);
  assert.match(lines[0], /libwbxml2-utils/);
});

test('it names only the package that is missing', async (t) => {
  const withCoap = mkdtempSync(join(tmpdir(), 'dm-proxy-peers-'));
  t.after(() => rmSync(withCoap, { recursive: true, force: true }));
  symlinkSync('/usr/bin/id', join(withCoap, 'id'));
  symlinkSync('/usr/bin/coap-client-notls', join(withCoap, 'coap-client-notls'));
  const result = await check(withCoap);
  assert.equal(result.status, 1);
  assert.doesNotMatch(result.stderr, /libcoap3-bin/);
  assert.match(result.stderr, /libwbxml2-utils/);
});

test('with both peers installed, the check passes silently', async () => {
  const result = await check(process.env.PATH ?? '/usr/bin:/bin');
  assert.deepEqual(result, { status: 0, stdout: '', stderr: '' });
});

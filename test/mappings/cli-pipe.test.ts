import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI } from './cli-runner.js';

test('output piped into a reader that has gone (| head -c 100) ends quietly with exit 0', async () => {
  const child = spawn(process.execPath, [CLI, 'mappings', 'render', '--format', 'html'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Closing the read end before the CLI has started makes its first write meet a broken pipe, every time.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const [status] = (await once(child, 'close')) as [number | null];
  assert.equal(stderr, '');
  assert.equal(status, 0);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { copyProjectForStart, descendantsOf, isAlive, type ProjectCopy } from './project-copy.js';

/** Runs an npm script in the copy; never rejects on a non-zero exit. */
function npmRun(cwd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('npm', ['run', ...args], { cwd, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

let project: ProjectCopy;
const leftovers: number[] = [];

before(() => {
  project = copyProjectForStart();
});

after(() => {
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  project.remove();
});

test('start compiles only src, and a second compile with no change finds everything up to date', { timeout: 300_000 }, async () => {
  const first = await npmRun(project.dir, ['prestart']);
  assert.equal(first.status, 0, first.stderr);
  const main = join(project.dir, 'dist/src/main.js');
  assert.ok(existsSync(main));
  assert.ok(!existsSync(join(project.dir, 'dist/test')), 'start must not compile the tests');
  const builtAt = statSync(main).mtimeMs;

  const second = await npmRun(project.dir, ['prestart', '--', '--verbose']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout + second.stderr, /Project 'src\/tsconfig\.json' is up to date/);
  assert.equal(statSync(main).mtimeMs, builtAt);
});

test('SIGTERM to the npm start process stops the proxy: no process left, port closed', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-start-data-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const npm = spawn('npm', ['start'], {
    cwd: project.dir,
    env: { ...process.env, HTTP_PORT: '0', COAP_PORT: '0', BOOTSTRAP_PORT: '0', DM_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(npm, 'exit');
  let httpPort: number | undefined;
  for await (const line of createInterface({ input: npm.stdout })) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg: string; listeners?: Array<{ name: string; port: number }> };
    if (entry.msg === 'proxy started') {
      httpPort = entry.listeners?.find((listener) => listener.name === 'http')?.port;
      break;
    }
  }
  assert.ok(httpPort, 'the proxy logs its HTTP port once started');
  npm.stdout.resume();
  const processes = descendantsOf(npm.pid!);
  leftovers.push(...processes);
  assert.equal((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status, 200);

  npm.kill('SIGTERM');
  await exited;
  assert.deepEqual(processes.filter(isAlive), [], 'every process npm start ran has ended');
  await assert.rejects(fetch(`http://127.0.0.1:${httpPort}/healthz`), 'the HTTP port is closed');
});

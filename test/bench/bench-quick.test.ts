import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The built bench (tests run from dist/test/bench). */
const BENCH = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
const TIMEOUT_MS = 120_000;

interface BenchRun {
  code: number | null;
  lines: Array<Record<string, unknown>>;
  stderr: string;
  /** Every process the bench started inherits this environment marker. */
  mark: string;
  /** The marker was found on the running bench itself: the search for left-over processes can find them. */
  markSeen: boolean;
}

function runBench(env: Record<string, string>): Promise<BenchRun> {
  const mark = randomUUID();
  const child = spawn(process.execPath, [BENCH], { env: { ...process.env, BENCH_QUICK: '1', BENCH_TEST_MARK: mark, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const markSeen = child.pid !== undefined && processesMarked(mark).includes(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bench did not finish within ${TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, lines, stderr, mark, markSeen });
    });
  });
}

/** Processes still alive whose environment carries the marker (Linux /proc). */
function processesMarked(mark: string): number[] {
  const marked: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`BENCH_TEST_MARK=${mark}`)) marked.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return marked;
}

function assertFigures(line: Record<string, unknown>, fields: string[]): void {
  for (const field of fields) {
    assert.equal(typeof line[field], 'number', `${line.scenario}: ${field} in ${JSON.stringify(line)}`);
    assert.ok(Number.isFinite(line[field]), `${line.scenario}: ${field} is finite`);
    assert.equal(typeof (line.min as Record<string, unknown>)[field], 'number', `${line.scenario}: min.${field}`);
  }
  assert.ok((line.rounds as number) >= 3, 'at least 3 rounds');
  assert.equal((line.raw as unknown[]).length, line.rounds, 'one raw entry per round');
}

test('BENCH_QUICK=1 runs every scenario, prints its JSON lines and leaves no process behind', { timeout: TIMEOUT_MS + 10_000 }, async () => {
  const run = await runBench({});
  assert.equal(run.code, 0, run.stderr);

  const retrieve = run.lines.filter((line) => line.scenario === 'retrieve-lwm2m');
  assert.deepEqual(
    retrieve.map((line) => `${line.devices}x${line.concurrency}`).sort(),
    ['10x1', '10x10', '1x1', '1x10'],
    'retrieve-lwm2m at 1 and 10 devices, concurrency 1 and 10',
  );
  for (const line of retrieve) assertFigures(line, ['proxyRps', 'baselineRps', 'ratio', 'proxyP50Ms', 'proxyP99Ms', 'addedP50Ms']);

  const frontDoor = run.lines.filter((line) => line.scenario === 'http-front-door');
  assert.equal(frontDoor.length, 1);
  assertFigures(frontDoor[0], ['proxyRps', 'expressRps', 'ratio']);

  const tables = run.lines.filter((line) => line.scenario === 'mappings');
  assert.equal(tables.length, 1);
  assertFigures(tables[0], ['lookupNs', 'reloadMs']);

  const registrations = run.lines.filter((line) => line.scenario === 'registration');
  assert.equal(registrations.length, 1);
  assert.equal(typeof registrations[0].endpoints, 'number');
  assertFigures(registrations[0], ['regPerSec', 'updatePerSec', 'updateP99Ms', 'bytesPerReg', 'bytesPerRegAfterUpdate', 'storedBytesPerReg', 'restartMs']);

  const discoveries = run.lines.filter((line) => line.scenario === 'discovery');
  assert.equal(discoveries.length, 1);
  assert.equal(typeof discoveries[0].nodes, 'number');
  assertFigures(discoveries[0], ['pageMs', 'offsetPageMs']);
  for (const field of ['maxEventLoopBlockMs', 'maxEventLoopBlockCpuMs']) {
    assert.ok(Number.isFinite(discoveries[0][field]), `discovery: ${field} in ${JSON.stringify(discoveries[0])}`);
  }

  for (const scenario of ['omadm13', 'omadm20']) {
    const dmSessions = run.lines.filter((line) => line.scenario === scenario);
    assert.deepEqual(dmSessions.map((line) => line.concurrency), [1, 3], `${scenario} at 1 and 3 devices (quick)`);
    for (const line of dmSessions) {
      assert.equal(line.auth, 'basic');
      assert.ok(Array.isArray(line.retrieves) && line.retrieves.length > 0, 'the Retrieves of each session are named');
      assert.equal(line.commandsPerSession, 5, `${scenario}: five-command sessions`);
      assert.equal(typeof line.exchangesPerSession, 'number', `${scenario}: exchangesPerSession`);
      assertFigures(line, ['proxySessionsPerSec', 'echoSessionsPerSec', 'ratio', 'proxyP50Ms', 'proxyP99Ms', 'echoP50Ms', 'echoP99Ms', 'cycleP99Ms']);
    }
  }

  assert.ok(run.markSeen);
  assert.deepEqual(processesMarked(run.mark), []);
});

test('a scenario that fails makes the bench exit non-zero, and every process it started is ended', { timeout: TIMEOUT_MS + 10_000 }, async () => {
  // The proxy inherits the bench's environment: under another CSEBase name every /proxy/... Retrieve answers 4004.
  const run = await runBench({ CSE_NAME: 'not-proxy' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /bench failed: .*X-M2M-RSC 4004/);
  assert.ok(run.markSeen);
  assert.deepEqual(processesMarked(run.mark), []);
});

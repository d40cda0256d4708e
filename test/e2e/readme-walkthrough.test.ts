/**
 * Runs every command of README's LwM2M walkthrough against a proxy started here, as a newcomer would:
 * `npm start` is this test's proxy, `npx dm-proxy simulate …` runs in the background (a terminal of its
 * own), everything else runs in bash with the variables set so far. Ports are substituted (localhost:8080,
 * 127.0.0.1:5683 and :5685 become this proxy's); a simulator without --server/--bootstrap gets --server.
 * A curl must answer a 2xx HTTP status and, when it carries one, a success X-M2M-RSC; a command after a
 * comment "retrieve until uds shows {…}" is repeated until its output holds that JSON.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { SimulatorProcess } from '../cli/simulator-process.js';

const README = new URL('../../../README.md', import.meta.url);
const SECTION = '## LwM2M';
const UNTIL = /until .*?shows (\{.*?\})/;
const POLL_LIMIT_MS = 20_000;

interface Step {
  command: string;
  /** Output the command is repeated until it contains. */
  until?: string;
}

/** The shell commands of README's LwM2M section, continuation lines joined, in order. */
function walkthroughSteps(): Step[] {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(`\n${SECTION}\n`);
  assert.ok(start >= 0, `README has a "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const steps: Step[] = [];
  for (const [, block] of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let until: string | undefined;
    for (const line of block.replace(/\\\n\s*/g, '').split('\n')) {
      const text = line.trim();
      if (text === '') continue;
      if (text.startsWith('#')) {
        until = UNTIL.exec(text)?.[1] ?? until;
        continue;
      }
      steps.push({ command: text, until });
      until = undefined;
    }
  }
  return steps;
}

function bash(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Status line and headers of the last response curl -i printed. */
function lastResponseHead(output: string): { status: number; rsc?: number } {
  const heads = [...output.matchAll(/^HTTP\/[\d.]+ (\d{3})[^\n]*\n((?:[^\r\n]+\r?\n)*)/gm)];
  assert.ok(heads.length > 0, `curl -i printed a status line: ${output}`);
  const [, status, headers] = heads.at(-1)!;
  const rsc = /^x-m2m-rsc:\s*(\d+)/im.exec(headers)?.[1];
  return { status: Number(status), rsc: rsc === undefined ? undefined : Number(rsc) };
}

let proxy: TestProxy;
const simulators: SimulatorProcess[] = [];

before(async () => {
  proxy = await startTestProxy();
});
after(async () => {
  for (const simulator of simulators) simulator.kill();
  await proxy.stop(true);
});

test("README's LwM2M walkthrough runs as written", async () => {
  const steps = walkthroughSteps();
  assert.ok(steps.some((step) => step.command.startsWith('npx dm-proxy simulate lwm2m')), 'the walkthrough starts a simulator');
  assert.ok(steps.some((step) => step.until), 'the walkthrough waits for the download');
  const local = (command: string): string =>
    command
      .replaceAll('localhost:8080', `127.0.0.1:${proxy.httpPort}`)
      .replaceAll('127.0.0.1:5683', `127.0.0.1:${proxy.coapPort}`)
      .replaceAll('127.0.0.1:5685', `127.0.0.1:${proxy.bootstrapPort}`);
  const variables: string[] = [];

  for (const { command, until } of steps) {
    if (command === 'npm start') continue; // this test's proxy
    if (command.startsWith('npx dm-proxy simulate ')) {
      const args = local(command).split(/\s+/).slice(3);
      if (!args.includes('--server') && !args.includes('--bootstrap')) args.push('--server', `coap://127.0.0.1:${proxy.coapPort}`);
      const simulator = new SimulatorProcess(args);
      simulators.push(simulator);
      await simulator.waitFor((line) => line.event === 'registered', `"${command}" to register`, 30_000);
      continue;
    }
    if (/^[A-Za-z_]\w*=/.test(command)) {
      variables.push(command);
      continue;
    }
    assert.match(command, /^curl /, `the walkthrough has only curl commands besides the simulator: ${command}`);
    const script = [...variables, local(command)].join('\n');
    const deadline = Date.now() + POLL_LIMIT_MS;
    for (;;) {
      const { status, stdout, stderr } = await bash(script);
      assert.equal(status, 0, `${command}\n${stderr}`);
      const head = lastResponseHead(stdout);
      assert.ok(head.status >= 200 && head.status < 300, `${command}\nHTTP ${head.status}\n${stdout}`);
      if (head.rsc !== undefined) assert.ok(head.rsc >= 1000 && head.rsc < 3000, `${command}\nX-M2M-RSC ${head.rsc}\n${stdout}`);
      if (!until || stdout.includes(until)) break;
      assert.ok(Date.now() < deadline, `${command}\nnever showed ${until} within ${POLL_LIMIT_MS} ms; last output:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  for (const simulator of simulators) {
    assert.equal(await simulator.stop('SIGINT'), 0);
    assert.equal(simulator.lines.at(-1)?.event, 'deregistered');
  }
});

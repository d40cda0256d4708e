/**
 * Runs every command of README's LwM2M walkthrough against a proxy started here, as a newcomer would:
 * `npm start` is this test's proxy, `npx dm-proxy simulate …` runs in the background (a terminal of its
 * own), everything else runs in bash with the variables set so far. Ports are substituted (localhost:8080,
 * 127.0.0.1:5683 and :5685 become this proxy's); a simulator without --server/--bootstrap gets --server.
 * Each curl is checked as test/e2e/readme-steps.ts says (2xx, success X-M2M-RSC, "until" repeated).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestProxy, type TestProxy } from '../helpers/proxy-harness.js';
import { SimulatorProcess } from '../cli/simulator-process.js';
import { readmeSteps, runCurlStep } from './readme-steps.js';

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
  const steps = readmeSteps('## LwM2M');
  assert.ok(steps.some((step) => step.command.startsWith('npx dm-proxy simulate lwm2m')), 'the walkthrough starts a simulator');
  assert.ok(steps.some((step) => step.until), 'the walkthrough waits for the download');
  const local = (command: string): string =>
    command
      .replaceAll('localhost:8080', `127.0.0.1:${proxy.httpPort}`)
      .replaceAll('127.0.0.1:5683', `127.0.0.1:${proxy.coapPort}`)
      .replaceAll('127.0.0.1:5685', `127.0.0.1:${proxy.bootstrapPort}`);
  const variables: string[] = [];

  for (const step of steps) {
    const { command } = step;
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
    await runCurlStep(step, [...variables, local(command)].join('\n'));
  }

  for (const simulator of simulators) {
    assert.equal(await simulator.stop('SIGINT'), 0);
    assert.equal(simulator.lines.at(-1)?.event, 'deregistered');
  }
});

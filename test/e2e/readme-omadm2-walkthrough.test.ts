/**
 * Runs every command of README's OMA DM 2.0 walkthrough ("#### Manage an OMA DM 2.0 device") as a newcomer would:
 * the built proxy in its own process (`node dist/src/main.js`, free loopback ports), `npx dm-proxy simulate omadm2 …`
 * the real CLI in the background, everything else bash with the variables set so far. Ports are substituted
 * (localhost:8080 and 127.0.0.1:8090 become this proxy's); a simulator without --server gets this proxy's DM 2.0 URL.
 * Each curl is checked as test/e2e/readme-steps.ts says, including the answer README shows after it; then the outcomes
 * issue 14 asks for (deviceInfo read, software created through the repository, an asynchronous EXEC whose result
 * arrives) are checked again here, so that a README edit cannot drop them unnoticed.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startProxyProcess, type ProxyProcess } from '../helpers/proxy-process.js';
import { SimulatorProcess } from '../cli/simulator-process.js';
import { lastResponseHead, readmeSteps, runCurlStep, type Step } from './readme-steps.js';

const FIRST_SESSION_LIMIT_MS = 30_000;
const EVENT_LIMIT_MS = 30_000;
const DEVICE = 'IMEI:4712';
const SIMULATE = 'npx dm-proxy simulate omadm2 ';

const proxies: ProxyProcess[] = [];
const simulators: SimulatorProcess[] = [];

after(async () => {
  for (const simulator of simulators) simulator.kill();
  for (const proxy of proxies) await proxy.stop();
});

/** The output of the one curl step whose command matches. */
function outputOf(outputs: Map<Step, string>, what: string, match: (command: string) => boolean): string {
  const found = [...outputs].filter(([step]) => match(step.command));
  assert.equal(found.length, 1, `the walkthrough has one curl that ${what}`);
  return found[0]![1];
}

test("README's OMA DM 2.0 walkthrough runs as written: Digest, deviceInfo, a software Create through the repository, its install and Generic Alert", async () => {
  const proxy = await startProxyProcess();
  proxies.push(proxy);
  const steps = readmeSteps('#### Manage an OMA DM 2.0 device');
  assert.ok(steps.some((step) => step.command.startsWith(SIMULATE)), 'the walkthrough starts a DM 2.0 simulator');
  assert.ok(!steps.some((step) => step.command.startsWith('npx dm-proxy simulate omadm ')), 'only its own section: no DM 1.3 simulator');
  const httpPort = proxy.ports.http!;
  const dmPort = proxy.ports['omadm-http']!;
  assert.ok(httpPort && dmPort, `the proxy logged its http and omadm-http ports: ${JSON.stringify(proxy.ports)}`);
  const local = (command: string): string =>
    command.replaceAll('localhost:8080', `127.0.0.1:${httpPort}`).replaceAll('127.0.0.1:8090', `127.0.0.1:${dmPort}`);
  const variables: string[] = [];
  const outputs = new Map<Step, string>();
  let simulator: SimulatorProcess | undefined;

  for (const step of steps) {
    const { command } = step;
    if (command === 'npm start') continue; // this test's proxy
    if (command.startsWith(SIMULATE)) {
      const args = local(command).split(/\s+/).slice(3);
      if (!args.includes('--server')) args.push('--server', `http://127.0.0.1:${dmPort}/dm2`);
      simulator = new SimulatorProcess(args);
      simulators.push(simulator);
      const first = await simulator.waitFor((line) => line.event === 'session-ended', `"${command}" to end its first session`, FIRST_SESSION_LIMIT_MS);
      assert.equal(first.result, 'completed', `first session: ${JSON.stringify(first)}`);
      continue;
    }
    if (/^[A-Za-z_]\w*=/.test(command)) {
      variables.push(command);
      continue;
    }
    assert.match(command, /^curl /, `the walkthrough has only curl commands besides the simulator: ${command}`);
    assert.ok(step.answer, `README shows the answer of ${command}`);
    outputs.set(step, await runCurlStep(step, [...variables, local(command)].join('\n')));
  }
  assert.ok(simulator, 'the walkthrough starts a DM 2.0 simulator');

  const credentials = outputOf(outputs, 'registers the credentials', (command) => command.includes('/admin/omadm/devices/'));
  assert.match(credentials, /"version":"2.0","auth":"digest"/);
  assert.doesNotMatch(credentials, /secret/, 'secrets are never shown');
  const authenticated = await simulator.waitFor((line) => line.event === 'authenticated', 'the device authenticated');
  assert.equal(authenticated.auth, 'digest');

  const deviceInfo = outputOf(outputs, 'reads deviceInfo', (command) => command.endsWith(`/proxy/${DEVICE}/deviceInfo`));
  assert.equal(lastResponseHead(deviceInfo).rsc, 2000);
  assert.match(deviceInfo, new RegExp(`"dlb":"${DEVICE}"`));

  const created = outputOf(outputs, 'creates the software', (command) => command.includes('-X POST'));
  assert.equal(lastResponseHead(created).rsc, 2001, 'CREATED');
  const hget = await simulator.waitFor((line) => line.event === 'command' && line.cmd === 'HGET', 'the HGET of the Create');
  assert.deepEqual([hget.uri, hget.status], ['urn:oma:mo:oma-scomo:1.0/1/Download/app', 200], JSON.stringify(hget));

  const install = outputOf(outputs, 'installs the software', (command) => command.includes('-X PUT') && command.endsWith('/software-app'));
  assert.equal(lastResponseHead(install).rsc, 1000, 'ACCEPTED');
  const exec = await simulator.waitFor((line) => line.event === 'command' && line.cmd === 'EXEC', 'the EXEC of the install');
  assert.equal(exec.status, 202, JSON.stringify(exec));
  await simulator.waitFor((line) => line.event === 'generic-alert-delivered', 'the Generic Alert delivered', EVENT_LIMIT_MS);

  const stored = outputOf(outputs, 'reads the stored tree', (command) => command.includes('rcn=8'));
  assert.match(stored, /"ins":\{"acn":"in","sus":1\}/, 'the Generic Alert changed the stored ins');
  assert.equal(await simulator.stop('SIGINT'), 0);
});

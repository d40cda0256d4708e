/**
 * Runs every command of README's OMA DM walkthrough as a newcomer would: `npm start` is the built proxy in its own
 * process (`node dist/src/main.js`, free loopback ports), `npx dm-proxy simulate omadm …` the real CLI in the background
 * (a terminal of its own), everything else bash with the variables set so far. Ports are substituted (localhost:8080
 * and 127.0.0.1:8090 become this proxy's); a simulator without --server gets this proxy's DM URL. Each curl is checked
 * as test/e2e/readme-steps.ts says, including the answer README shows after it; then the outcomes issue 12 asks for
 * are checked again here, so that a README edit cannot drop them unnoticed.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startProxyProcess, type ProxyProcess } from '../helpers/proxy-process.js';
import { SimulatorProcess } from '../cli/simulator-process.js';
import { lastResponseHead, readmeSteps, runCurlStep, type Step } from './readme-steps.js';

const FIRST_SESSION_LIMIT_MS = 30_000;
const EVENT_LIMIT_MS = 30_000;
const DEVICE = 'IMEI:4711';

const proxies: ProxyProcess[] = [];
const simulators: SimulatorProcess[] = [];

after(async () => {
  for (const simulator of simulators) simulator.kill();
  for (const proxy of proxies) await proxy.stop();
});

/** How a run differs from README as written: the device's auth type and encoding. */
interface Variant {
  auth: 'md5' | 'hmac';
  wbxml: boolean;
}

/** The output of the one curl step whose command matches. */
function outputOf(outputs: Map<Step, string>, what: string, match: (command: string) => boolean): string {
  const found = [...outputs].filter(([step]) => match(step.command));
  assert.equal(found.length, 1, `the walkthrough has one curl that ${what}`);
  return found[0]![1];
}

test("README's OMA DM walkthrough runs as written: deviceInfo, a firmware update and its Generic Alert, md5 both ways", () =>
  walkthrough({ auth: 'md5', wbxml: false }));

test("README's OMA DM walkthrough works over WBXML with HMAC (the credentials say hmac, the simulator runs with --wbxml --auth hmac)", () =>
  walkthrough({ auth: 'hmac', wbxml: true }));

async function walkthrough(variant: Variant): Promise<void> {
  const proxy = await startProxyProcess();
  proxies.push(proxy);
  const toVariant = (text: string): string => text.replaceAll('"auth":"md5"', `"auth":"${variant.auth}"`);
  const steps = readmeSteps('### Manage an OMA DM device').map((step) => ({ ...step, command: toVariant(step.command), ...(step.answer ? { answer: step.answer.map(toVariant) } : {}) }));
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
    if (command.startsWith('npx dm-proxy simulate omadm ')) {
      const args = local(command).split(/\s+/).slice(3);
      if (!args.includes('--server')) args.push('--server', `http://127.0.0.1:${dmPort}/dm`);
      if (variant.auth !== 'md5') args.push('--auth', variant.auth);
      if (variant.wbxml) args.push('--wbxml');
      simulator = new SimulatorProcess(args);
      simulators.push(simulator);
      const first = await simulator.waitFor((line) => line.event === 'session-ended', `"${command}" to end its first session`, FIRST_SESSION_LIMIT_MS);
      assert.equal(first.result, 'completed', `first session: ${JSON.stringify(first)}`);
      const started = await simulator.waitFor((line) => line.event === 'session-started', 'the first session-started line');
      assert.deepEqual([started.encoding, started.auth], [variant.wbxml ? 'wbxml' : 'xml', variant.auth]);
      continue;
    }
    if (/^[A-Za-z_]\w*=/.test(command)) {
      variables.push(command);
      continue;
    }
    assert.match(command, /^curl /, `the walkthrough has only curl commands besides npm start and the simulator: ${command}`);
    assert.ok(step.answer, `README shows the answer of ${command}`);
    outputs.set(step, await runCurlStep(step, [...variables, local(command)].join('\n')));
  }
  assert.ok(simulator, 'the walkthrough starts a DM simulator');

  // md5 (or hmac) both ways: the credentials say so, and each side accepted the other's proof (212)
  const credentials = outputOf(outputs, 'registers the credentials', (command) => command.includes('/admin/omadm/devices/'));
  assert.match(credentials, new RegExp(`"auth":"${variant.auth}"`));
  assert.doesNotMatch(credentials, /secret/, 'secrets are never shown');
  await simulator.waitFor((line) => line.event === 'authenticated' && line.status === 212, 'the device authenticated (212)');
  await simulator.waitFor((line) => line.event === 'server-authenticated' && line.status === 212, 'the server authenticated (212)');

  const deviceInfo = outputOf(outputs, 'reads deviceInfo', (command) => command.endsWith(`/proxy/${DEVICE}/deviceInfo`));
  assert.equal(lastResponseHead(deviceInfo).rsc, 2000);
  assert.match(deviceInfo, /"man":"onem2m-dm-proxy"/);

  const update = outputOf(outputs, 'updates the firmware', (command) => command.includes('-X PUT') && command.endsWith('/firmware'));
  assert.equal(lastResponseHead(update).rsc, 1000, 'ACCEPTED');
  const exec = await simulator.waitFor((line) => line.event === 'command' && line.cmd === 'Exec', 'the Exec of the update');
  assert.deepEqual([exec.path, exec.status], ['./FUMO/DownloadAndUpdate', 202]);
  const alert = await simulator.waitFor((line) => line.event === 'generic-alert-delivered', 'the Generic Alert delivered', EVENT_LIMIT_MS);
  assert.equal(alert.status, 200);
  assert.equal(alert.correlator, exec.correlator, 'the alert answers the Exec');

  const stored = outputOf(outputs, 'reads the stored tree', (command) => command.includes('rcn=8'));
  assert.match(stored, /"uds":\{"acn":"ud","sus":1\}/, 'the Generic Alert changed the stored uds');

  // 6021: the device opens no session before the request's deadline
  assert.equal(await simulator.stop('SIGINT'), 0);
  const battery = await fetch(`http://127.0.0.1:${httpPort}/proxy/${DEVICE}/battery`, {
    headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'walkthrough-6021', 'X-M2M-RET': '3000' },
  });
  assert.equal(battery.headers.get('x-m2m-rsc'), '6021', await battery.text());
}

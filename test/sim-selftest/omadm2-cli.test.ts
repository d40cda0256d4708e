import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SimulatorProcess, type SimLine } from '../cli/simulator-process.js';
import { encodeDm2Package0, type Package1 } from '../../src/sim/omadm2/index.js';
import { Dm2ScriptServer } from './dm2-script-server.js';

const is = (event: string) => (line: SimLine) => line.event === event;

describe('dm-proxy simulate omadm2', () => {
  const running: SimulatorProcess[] = [];
  const servers: Dm2ScriptServer[] = [];
  after(async () => {
    for (const simulator of running) simulator.kill();
    for (const server of servers) await server.close();
  });
  const simulate = (...args: string[]): SimulatorProcess => {
    const simulator = new SimulatorProcess(['omadm2', ...args]);
    running.push(simulator);
    return simulator;
  };
  const start = async (auth?: 'basic' | 'digest'): Promise<Dm2ScriptServer> => {
    const server = await Dm2ScriptServer.start(auth ? { auth: { scheme: auth, user: 'dev', secret: 's3cret' } } : {});
    servers.push(server);
    return server;
  };

  it('opens a digest-authenticated session at start, answers the commands, polls, one JSON line per event; Ctrl-C exits 0', async () => {
    const server = await start('digest');
    server.queue(['GET', 'urn:oma:mo:oma-dm-devinfo:1.0//Mod']);
    const simulator = simulate('--devid', 'IMEI:cli2-1', '--server', server.url, '--user', 'dev', '--secret', 's3cret', '--auth', 'digest', '--poll', '1');
    const started = await simulator.waitFor(is('session-started'), 'session-started line');
    assert.equal(started.devId, 'IMEI:cli2-1');
    assert.equal(started.alert, 'urn:oma:at:dm:2.0:ClientInitiatedMgmt');
    const command = await simulator.waitFor(is('command'), 'command line');
    assert.deepEqual([command.cmd, command.uri, command.status], ['GET', 'urn:oma:mo:oma-dm-devinfo:1.0//Mod', 200]);
    await simulator.waitFor(is('authenticated'), 'authenticated line');
    assert.equal((await simulator.waitFor(is('session-ended'), 'session-ended line')).result, 'completed');
    await simulator.waitFor((line) => line.event === 'session-ended' && line.sessionId === '2', 'a second session after --poll 1');
    assert.equal(await simulator.stop('SIGINT'), 0);
  });

  it('--notify-port takes a DM 2.0 package 0 and opens a server-initiated session', async () => {
    const server = await start();
    const simulator = simulate('--devid', 'IMEI:cli2-2', '--server', server.url, '--notify-port', '0');
    const listening = await simulator.waitFor(is('notify-listening'), 'notify-listening line');
    await simulator.waitFor(is('session-ended'), 'the first session');
    const response = await fetch(`http://127.0.0.1:${listening.port}/`, { method: 'POST', body: new Uint8Array(encodeDm2Package0({ notificationId: 77 })) });
    assert.equal(response.status, 200);
    const package1 = await server.waitFor((request) => ((request.json as Package1 | undefined)?.Alert ?? []).some((alert) => alert.AlertType.endsWith('ServerInitiatedMgmt')));
    assert.deepEqual((package1.json as Package1).Alert[0].Data, { 'NOTIFICATION-ID': 77 });
    assert.equal(await simulator.stop('SIGINT'), 0);
  });

  it('exits 1 when the server refuses the credentials', async () => {
    const server = await start('basic');
    const simulator = simulate('--devid', 'IMEI:cli2-3', '--server', server.url, '--user', 'dev', '--secret', 'wrong');
    assert.equal(await simulator.exit(), 1);
    assert.ok(simulator.lines.some((line) => line.event === 'session-ended' && line.result === 'auth-failed'));
    assert.match(simulator.stderr, /IMEI:cli2-3/);
  });

  for (const [args, message] of [
    [['--devid', 'IMEI:1', '--user', 'u', '--secret', 's', '--auth', 'md5'], /--auth must be basic or digest/],
    [['--server', 'http://127.0.0.1:1/dm2'], /--devid is required/],
    [['--devid', 'IMEI:1', '--secret', 's'], /--user and --secret together/],
    [['--devid', 'IMEI:1', '--poll', '0'], /--poll must be/],
  ] as const) {
    it(`usage error, exit 2: ${args.join(' ')}`, async () => {
      const simulator = simulate(...args);
      assert.equal(await simulator.exit(), 2);
      assert.match(simulator.stderr, message);
      assert.match(simulator.stderr, /Usage:/);
    });
  }
});

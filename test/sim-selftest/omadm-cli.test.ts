import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SimulatorProcess, type SimLine } from '../cli/simulator-process.js';
import { DmScriptServer, get } from './dm-script-server.js';

const is = (event: string) => (line: SimLine) => line.event === event;

describe('dm-proxy simulate omadm', () => {
  const running: SimulatorProcess[] = [];
  const servers: DmScriptServer[] = [];
  after(async () => {
    for (const simulator of running) simulator.kill();
    for (const server of servers) await server.close();
  });
  const simulate = (...args: string[]): SimulatorProcess => {
    const simulator = new SimulatorProcess(['omadm', ...args]);
    running.push(simulator);
    return simulator;
  };

  it('opens an md5 session at start, answers the server, polls, prints one JSON line per event; Ctrl-C exits 0', async () => {
    const server = await DmScriptServer.start({
      device: { devId: 'IMEI:cli-1', auth: 'md5', client: { user: 'dev', secret: 's3cret' }, server: { id: 'dm-proxy', secret: 'srv' }, nonces: {} },
    });
    servers.push(server);
    server.queue(get('./DevInfo/Mod'));
    const simulator = simulate('--devid', 'IMEI:cli-1', '--server', server.url, '--version', '1.3', '--user', 'dev', '--secret', 's3cret', '--poll', '1');
    const started = await simulator.waitFor(is('session-started'), 'session-started line');
    assert.equal(started.devId, 'IMEI:cli-1');
    assert.equal(started.alert, 1201);
    const command = await simulator.waitFor(is('command'), 'command line');
    assert.deepEqual([command.cmd, command.path, command.status], ['Get', './DevInfo/Mod', 200]);
    await simulator.waitFor((line) => line.event === 'authenticated' && line.status === 212, 'authenticated line');
    const ended = await simulator.waitFor(is('session-ended'), 'session-ended line');
    assert.equal(ended.result, 'completed');
    await simulator.waitFor((line) => line.event === 'session-ended' && line.sessionId === '2', 'a second session after --poll 1');
    assert.equal(server.received[0].header.verProto, 'DM/1.3');
    assert.equal(await simulator.stop('SIGINT'), 0);
  });

  it('--wbxml posts WBXML and reads the WBXML answers', async () => {
    const server = await DmScriptServer.start({
      device: { devId: 'IMEI:cli-3', auth: 'md5', client: { user: 'dev', secret: 's3cret' }, server: { id: 'dm-proxy', secret: 'srv' }, nonces: {} },
    });
    servers.push(server);
    server.queue(get('./DevInfo/Mod'));
    const simulator = simulate('--devid', 'IMEI:cli-3', '--server', server.url, '--user', 'dev', '--secret', 's3cret', '--wbxml', '--poll', '1');
    const command = await simulator.waitFor(is('command'), 'command line');
    assert.deepEqual([command.cmd, command.path, command.status], ['Get', './DevInfo/Mod', 200]);
    assert.equal((await simulator.waitFor(is('session-ended'), 'session-ended line')).result, 'completed');
    assert.ok(server.contentTypes.length > 0 && server.contentTypes.every((type) => type === 'application/vnd.syncml.dm+wbxml'), server.contentTypes.join(', '));
    assert.equal(await simulator.stop('SIGINT'), 0);
  });

  it('without --poll it keeps running after its first session until Ctrl-C', async () => {
    const server = await DmScriptServer.start({
      device: { devId: 'IMEI:cli-5', auth: 'md5', client: { user: 'dev', secret: 's3cret' }, server: { id: 'dm-proxy', secret: 'srv' }, nonces: {} },
    });
    servers.push(server);
    const simulator = simulate('--devid', 'IMEI:cli-5', '--server', server.url, '--user', 'dev', '--secret', 's3cret');
    assert.equal((await simulator.waitFor(is('session-ended'), 'session-ended line')).result, 'completed');
    assert.equal(await simulator.stop('SIGINT'), 0, 'still running when stopped');
  });

  it('--notify-port takes package 0 and refuses what is none', async () => {
    const server = await DmScriptServer.start({
      device: { devId: 'IMEI:cli-4', auth: 'md5', client: { user: 'dev', secret: 's3cret' }, server: { id: 'dm-proxy', secret: 'srv' }, nonces: {} },
    });
    servers.push(server);
    const simulator = simulate('--devid', 'IMEI:cli-4', '--server', server.url, '--user', 'dev', '--secret', 's3cret', '--notify-port', '0');
    const listening = await simulator.waitFor(is('notify-listening'), 'notify-listening line');
    assert.ok(Number(listening.port) > 0);
    assert.equal((await simulator.waitFor(is('session-ended'), 'session-ended line')).result, 'completed');
    // A package 0 that is not one: refused, and the device is still there to say so.
    const refused = await fetch(`http://127.0.0.1:${listening.port}/`, { method: 'POST', body: 'not a notification' });
    assert.equal(refused.status, 400);
    await simulator.waitFor(is('notification-refused'), 'notification-refused line');
    assert.equal(await simulator.stop('SIGINT'), 0);
  });

  it('exits 1 when the server refuses the credentials', async () => {
    const server = await DmScriptServer.start({
      device: { devId: 'IMEI:cli-2', auth: 'basic', client: { user: 'dev', secret: 'right' }, server: { id: 'dm-proxy', secret: 'srv' }, nonces: {} },
    });
    servers.push(server);
    const simulator = simulate('--devid', 'IMEI:cli-2', '--server', server.url, '--user', 'dev', '--secret', 'wrong', '--auth', 'basic');
    assert.equal(await simulator.exit(), 1);
    assert.ok(simulator.lines.some((line) => line.event === 'session-ended' && line.result === 'auth-failed'));
    assert.match(simulator.stderr, /IMEI:cli-2/);
  });

  for (const [args, message] of [
    [['--devid', 'IMEI:1', '--user', 'u', '--secret', 's', '--auth', 'x509'], /--auth must be basic, md5 or hmac/],
    [['--devid', 'IMEI:1', '--version', '2.0'], /--version must be 1\.2 or 1\.3/],
    [['--server', 'http://127.0.0.1:1/dm'], /--devid is required/],
    [['--devid', 'IMEI:1', '--user', 'u'], /--user and --secret together/],
    [['--devid', 'IMEI:1', '--ca', '/etc/passwd'], /--ca is for an https:\/\/ --server/],
    [['--devid', 'IMEI:1', '--server', 'https://127.0.0.1:1/dm', '--ca', '/nonexistent/ca.pem'], /--ca \/nonexistent\/ca\.pem cannot be read \(ENOENT\)/],
    [['--devid', 'IMEI:1', '--server', 'https://127.0.0.1:1/dm', '--ca', '/etc/passwd'], /--ca \/etc\/passwd is not a PEM certificate/],
  ] as const) {
    it(`usage error, exit 2: ${args.join(' ')}`, async () => {
      const simulator = simulate(...args);
      assert.equal(await simulator.exit(), 2);
      assert.match(simulator.stderr, message);
      assert.match(simulator.stderr, /Usage:/);
    });
  }
});

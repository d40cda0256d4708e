import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadSettings, startProxy } from '../../src/app.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'dm-proxy-startup-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface LogLine { level: number; msg: string; setting?: string; value?: string; port?: number; coapPort?: number; bootstrapPort?: number }

/** Runs `node dist/src/main.js` with `env` on ephemeral loopback ports; a proxy that starts anyway is stopped at once. */
async function start(env: Record<string, string>): Promise<{ status: number | null; lines: LogLine[] }> {
  const dataDir = mkdtempSync(join(scratch, 'data-'));
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, HTTP_PORT: '0', COAP_PORT: '0', BOOTSTRAP_PORT: '0', DM_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('"msg":"proxy started"')) child.kill('SIGKILL');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [status] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  // Every line must be a log entry: a raw stack trace fails here.
  const lines = output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
  return { status, lines };
}

/** Exit 1 with exactly one line, naming the setting and its value. */
function assertRefused(result: { status: number | null; lines: LogLine[] }, setting: string, value: string): LogLine {
  assert.equal(result.status, 1, JSON.stringify(result.lines));
  assert.equal(result.lines.length, 1, JSON.stringify(result.lines));
  const [line] = result.lines;
  assert.equal(line.level, 60);
  assert.equal(line.setting, setting);
  assert.ok(line.msg.startsWith(`${setting}=${JSON.stringify(value)} `), line.msg);
  return line;
}

const badSettings: Array<[string, string, RegExp]> = [
  ['HTTP_PORT', 'abc', /an integer from 0 to 65535/],
  ['HTTP_PORT', '99999', /an integer from 0 to 65535/],
  ['COAP_PORT', 'abc', /an integer from 0 to 65535/],
  ['BOOTSTRAP_PORT', '-1', /an integer from 0 to 65535/],
  ['DEVICE_TIMEOUT_MS', '-5', /an integer from 1 to/],
  ['DEVICE_TIMEOUT_MS', '0', /an integer from 1 to/],
  ['COAP_MAX_RETRANSMIT', '2.5', /an integer from 0 to 10/],
  ['LOG_LEVEL', 'verbose', /one of trace, debug, info, warn, error, fatal, silent/],
  ['LWM2M_VERSIONS', '2.0', /1\.0, 1\.1, 1\.2/],
  ['LWM2M_VERSIONS', '1.1,1.3', /1\.0, 1\.1, 1\.2/],
  ['LWM2M_ENDPOINT_DENY', 'urn:(', /regular expression/],
  ['CSE_NAME', 'a/b', /letters, digits/],
  ['UPSTREAM_CSE', 'in-cse', /absolute URL/],
  ['STATUS_PROFILE', 'nope', /profiles in .*vocabulary\.yaml: default, compat/],
];

for (const [setting, value, allowed] of badSettings) {
  test(`${setting}=${value} stops the start with one line naming the setting, the value and what is allowed`, async () => {
    const line = assertRefused(await start({ [setting]: value }), setting, value);
    assert.match(line.msg, allowed);
  });
}

test('a DATA_DIR that is a file is named as not a directory', async () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, '');
  const line = assertRefused(await start({ DATA_DIR: file }), 'DATA_DIR', file);
  assert.match(line.msg, /is not a directory/);
});

test('a DATA_DIR where the database cannot be opened names the database file', async () => {
  const dir = join(scratch, 'unopenable');
  mkdirSync(join(dir, 'proxy.db'), { recursive: true });
  const line = assertRefused(await start({ DATA_DIR: dir }), 'DATA_DIR', dir);
  assert.match(line.msg, new RegExp(`cannot open ${join(dir, 'proxy.db')}: unable to open database file`));
});

test('a MAPPINGS_DIR that does not exist is one line, not one per table', async () => {
  const line = assertRefused(await start({ MAPPINGS_DIR: '/nonexistent' }), 'MAPPINGS_DIR', '/nonexistent');
  assert.match(line.msg, /no such directory/);
});

test('a DM_TLS_CERT that cannot be read stops the start with one line naming it', async () => {
  const line = assertRefused(await start({ DM_TLS_CERT: '/nonexistent/cert.pem', DM_TLS_KEY: '/nonexistent/key.pem' }), 'DM_TLS_CERT', '/nonexistent/cert.pem');
  assert.match(line.msg, /cannot be read \(ENOENT\)/);
});

test('an ACCESS_FILE that cannot be read stops the start with one line', async () => {
  assertRefused(await start({ ACCESS_FILE: '/nonexistent/access.yaml' }), 'ACCESS_FILE', '/nonexistent/access.yaml');
});

/** Occupies an ephemeral loopback UDP port until the test ends. */
async function busyUdpPort(t: { after(fn: () => void): void }): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  t.after(() => socket.close());
  return socket.address().port;
}

async function busyTcpPort(t: { after(fn: () => Promise<unknown>): void }): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

function errorLines(lines: LogLine[]): LogLine[] {
  return lines.filter((line) => line.level >= 50);
}

for (const setting of ['COAP_PORT', 'BOOTSTRAP_PORT']) {
  test(`a ${setting} in use exits 1 with one line naming the setting and the port`, async (t) => {
    const port = await busyUdpPort(t);
    const result = await start({ [setting]: String(port) });
    assert.equal(result.status, 1);
    const errors = errorLines(result.lines);
    assert.equal(errors.length, 1, JSON.stringify(result.lines));
    assert.equal(errors[0].setting, setting);
    assert.equal(errors[0].port, port);
    assert.match(errors[0].msg, new RegExp(`^${setting}=${port} cannot be bound on HOST=127\\.0\\.0\\.1: the port is in use`));
    assert.ok(!result.lines.some((line) => line.msg === 'proxy started'));
  });
}

test('an HTTP_PORT in use exits 1 with one line naming the setting and the port', async (t) => {
  const port = await busyTcpPort(t);
  const result = await start({ HTTP_PORT: String(port) });
  assert.equal(result.status, 1);
  const errors = errorLines(result.lines);
  assert.equal(errors.length, 1, JSON.stringify(result.lines));
  assert.equal(errors[0].setting, 'HTTP_PORT');
  assert.match(errors[0].msg, new RegExp(`^HTTP_PORT=${port} cannot be bound`));
});

test('when HTTP_PORT cannot be bound, the LwM2M ports already bound are released again', async (t) => {
  const port = await busyTcpPort(t);
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const dataDir = mkdtempSync(join(scratch, 'data-'));
  const settings = loadSettings({ HTTP_PORT: String(port), COAP_PORT: '0', BOOTSTRAP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
  await assert.rejects(startProxy(settings, logger), (error: Error) => error.message.startsWith(`HTTP_PORT=${port} cannot be bound`));
  const listening = lines.find((line) => line.coapPort !== undefined);
  assert.ok(listening, 'the LwM2M listeners were bound first');
  for (const udpPort of [listening.coapPort!, listening.bootstrapPort!]) {
    const socket = createSocket('udp4');
    t.after(() => socket.close());
    socket.bind(udpPort, '127.0.0.1');
    await once(socket, 'listening');
  }
});

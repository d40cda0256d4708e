import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { eventually } from './helpers.js';
import { startTestProxy } from '../helpers/proxy-harness.js';

/** Hostile and broken datagrams against both LwM2M ports: answered per RFC 7252 or dropped, counted, never fatal. */

const PROBE_MID = 0x4321;
const UPPER_BOUND_MS = 10_000;

/** Resolves with the first datagram `socket` receives that `accept` takes (bounded). */
function nextReply(socket: dgram.Socket, accept: (packet: ParsedPacket) => boolean): Promise<ParsedPacket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no reply within ${UPPER_BOUND_MS} ms`));
    }, UPPER_BOUND_MS);
    function onMessage(message: Buffer): void {
      const packet = parse(message);
      if (!accept(packet)) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(packet);
    }
    socket.on('message', onMessage);
  });
}

/**
 * Sends one datagram from a fresh socket and returns every reply to it. When `answered`, it first waits for a reply
 * (however slow the machine); then a CoAP ping from the same socket (answered with RST by the same endpoint, which
 * handles datagrams in order) marks the end: anything the datagram caused has arrived by the time the ping's RST does.
 */
async function exchange(port: number, datagram: Buffer, answered: boolean, lateMs = 0): Promise<ParsedPacket[]> {
  const socket = dgram.createSocket('udp4');
  const replies: ParsedPacket[] = [];
  socket.on('message', (message) => {
    const packet = parse(message);
    if (packet.messageId !== PROBE_MID) replies.push(packet);
  });
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const firstReply = answered ? nextReply(socket, (packet) => packet.messageId !== PROBE_MID) : undefined;
    socket.send(datagram, port, '127.0.0.1');
    await firstReply;
    const probeAnswered = nextReply(socket, (packet) => packet.messageId === PROBE_MID && packet.reset);
    socket.send(Buffer.from([0x40, 0x00, PROBE_MID >> 8, PROBE_MID & 0xff]), port, '127.0.0.1');
    await probeAnswered;
    // A timer-driven reply (node-coap's piggyback ACK) has no event marking its absence: listen past its timer.
    if (lateMs > 0) await new Promise((resolve) => setTimeout(resolve, lateMs));
    return replies;
  } finally {
    socket.close();
  }
}

/** Sends one datagram and expects no reply to it. */
const dropped = (port: number, datagram: Buffer) => exchange(port, datagram, false);
/** Sends one datagram and expects replies to it. */
const answered = (port: number, datagram: Buffer, lateMs = 0) => exchange(port, datagram, true, lateMs);

/** Sends one datagram and does not wait for anything. */
async function fire(port: number, datagram: Buffer): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.send(datagram, port, '127.0.0.1', () => resolve()));
  socket.close();
}

const MID = 0x1234;
const TOKEN = Buffer.from('a1b2', 'hex');

function request(code: string, options: Array<{ name: string; value: Buffer }>, payload?: Buffer, confirmable = true): Buffer {
  return generate({ code, confirmable, messageId: MID, token: TOKEN, options, ...(payload ? { payload } : {}) }, 65_000);
}

const rdPath = [{ name: 'Uri-Path', value: Buffer.from('rd') }];

function assertReset(replies: ParsedPacket[], what: string): void {
  assert.equal(replies.length, 1, `${what}: one answer`);
  assert.equal(replies[0].reset, true, `${what}: RST`);
  assert.equal(replies[0].messageId, MID, `${what}: matching message ID`);
}

function assertPiggybacked(replies: ParsedPacket[], code: string, what: string): ParsedPacket {
  assert.equal(replies.length, 1, `${what}: one answer`);
  assert.equal(replies[0].code, code, what);
  assert.equal(replies[0].ack, true, `${what}: piggybacked on the ACK`);
  assert.equal(replies[0].messageId, MID);
  assert.deepEqual(replies[0].token, TOKEN);
  return replies[0];
}

test('broken datagrams are dropped or rejected with RST / 4.xx / 5.05 and counted; the server keeps serving', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const port = proxy.coapPort;

  assert.deepEqual(await dropped(port, Buffer.from([0x40, 0x02])), [], 'truncated header: dropped');
  assert.deepEqual(await dropped(port, Buffer.from('80021234', 'hex')), [], 'unknown version: dropped');
  assert.deepEqual(await dropped(port, Buffer.from('500212340f', 'hex')), [], 'NON format error: dropped');
  assertReset(await answered(port, Buffer.concat([Buffer.from('49021234', 'hex'), Buffer.alloc(9)])), 'token length 9');
  assertReset(await answered(port, Buffer.from('400212340f', 'hex')), 'option length nibble 15');
  assertReset(await answered(port, Buffer.from('40201234', 'hex')), 'reserved code class 1');
  assertReset(await answered(port, Buffer.from('40001234', 'hex'), 700), 'CoAP ping (empty CON), answered once, no empty ACK after the 500 ms piggyback timer');
  assert.deepEqual(await dropped(port, Buffer.from('60001234', 'hex')), [], 'stray empty ACK: ignored');
  assert.deepEqual(await dropped(port, Buffer.from('70001234', 'hex')), [], 'stray RST: ignored');

  const oversized = assertPiggybacked(await answered(port, request('POST', rdPath, Buffer.alloc(20_000, 0x61))), '4.13', 'oversized payload');
  assert.deepEqual(oversized.options.find((option) => option.name === 'Size1')?.value, Buffer.from([0x40, 0x00]), 'Size1 = 16384');
  const farBlock = [...rdPath, { name: 'Block1', value: Buffer.from([0x40, 0x0e]) }]; // block 1024 of 1024-byte blocks
  assertPiggybacked(await answered(port, request('POST', farBlock, Buffer.alloc(64))), '4.13', 'Block1 beyond the limit');
  assertPiggybacked(await answered(port, request('FETCH', [...rdPath, { name: 'Content-Format', value: Buffer.from([40]) }])), '4.05', 'FETCH');
  assertPiggybacked(await answered(port, request('GET', [{ name: '25', value: Buffer.from('x') }])), '4.02', 'unknown critical option');
  assertPiggybacked(await answered(port, request('POST', [{ name: 'Observe', value: Buffer.alloc(0) }, ...rdPath])), '4.02', 'Observe on POST');
  assertPiggybacked(await answered(port, request('GET', [{ name: 'Proxy-Uri', value: Buffer.from('coap://elsewhere/') }])), '5.05', 'proxy request');
  const nonOversized = await answered(port, request('POST', rdPath, Buffer.alloc(20_000), false));
  assert.equal(nonOversized[0]?.code, '4.13', 'a NON request gets a NON 4.13');
  assert.equal(nonOversized[0]?.confirmable, false);

  // Random noise: whatever it is, the process keeps running and still registers a client afterwards.
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 200; i++) {
    const noise = Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)));
    if (i % 2 === 0 && noise.length >= 4) noise[0] = (noise[0] & 0x3f) | 0x40; // half of them look like CoAP v1
    await fire(port, noise);
  }
  const register = request('POST', [...rdPath, { name: 'Uri-Query', value: Buffer.from('ep=after-noise') }], Buffer.from('</3/0>'));
  const registered = await answered(port, register);
  if (registered[0]?.code === '0.00' && registered[0].ack) {
    // A loaded machine: the Register took longer than node-coap's piggyback timer, so its 2.01 follows the empty ACK
    // as a separate response. What counts is that the client gets registered.
    await eventually(async () => ((await proxy.request('GET', '/proxy/after-noise')).headers.get('x-m2m-rsc') === '2000' ? true : undefined), 30_000, 'the client registered');
  } else {
    assertPiggybacked(registered, '2.01', 'valid Register after the noise');
  }

  const metrics = await (await fetch(proxy.url('/metrics'))).text();
  assert.match(metrics, /lwm2m_malformed_messages_total\{listener="server",reason="oversized"\} 3/);
  assert.match(metrics, /lwm2m_malformed_messages_total\{listener="server",reason="truncated"\} [1-9]/);
  assert.match(metrics, /lwm2m_malformed_messages_total\{listener="server",reason="bad_version"\} [1-9]/);
  assert.match(metrics, /lwm2m_malformed_messages_total\{listener="server",reason="format_error"\} [1-9]/);
});

test('the Bootstrap Server port has the same guard', async (t) => {
  const proxy = await startTestProxy();
  t.after(() => proxy.stop(true));
  const bsPath = [{ name: 'Uri-Path', value: Buffer.from('bs') }];
  assertReset(await answered(proxy.bootstrapPort, Buffer.from('400212340f', 'hex')), 'option length nibble 15');
  assertPiggybacked(await answered(proxy.bootstrapPort, request('POST', bsPath, Buffer.alloc(17_000))), '4.13', 'oversized');
  const metrics = await (await fetch(proxy.url('/metrics'))).text();
  assert.match(metrics, /lwm2m_malformed_messages_total\{listener="bootstrap",reason="oversized"\} 1/);
});

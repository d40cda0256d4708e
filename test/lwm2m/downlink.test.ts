import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { parameters } from 'coap';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { CoapTimeoutError } from '../../src/lwm2m/downlink.js';
import { startStandaloneLwm2m, type StandaloneLwm2m } from './standalone-lwm2m.js';

/** The Lwm2mDownlink over real UDP: a raw-socket client sees where requests come from and answers by hand. */

function startServer(t: TestContext, env: Record<string, string> = {}): Promise<StandaloneLwm2m> {
  return startStandaloneLwm2m(t, { HOST: '::', COAP_ACK_TIMEOUT_MS: '100', COAP_MAX_RETRANSMIT: '1', ...env });
}

/** A hand-driven LwM2M client on one UDP socket. */
class RawClient {
  readonly received: Array<{ packet: ParsedPacket; port: number }> = [];
  private waiting: Array<(packet: ParsedPacket) => void> = [];
  private messageId = 100;

  private constructor(
    readonly socket: dgram.Socket,
    private readonly host: string,
    private readonly serverPort: number,
  ) {
    socket.on('message', (message, peer) => {
      const packet = parse(message);
      this.received.push({ packet, port: peer.port });
      this.waiting.shift()?.(packet);
    });
  }

  static async open(t: TestContext, family: 4 | 6, serverPort: number): Promise<RawClient> {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    const host = family === 6 ? '::1' : '127.0.0.1';
    await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
    t.after(() => socket.close());
    return new RawClient(socket, host, serverPort);
  }

  next(): Promise<ParsedPacket> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async request(code: string, path: string[], query: string[] = [], payload?: string): Promise<ParsedPacket> {
    const options = [...path.map((p) => ({ name: 'Uri-Path', value: Buffer.from(p) })), ...query.map((q) => ({ name: 'Uri-Query', value: Buffer.from(q) }))];
    const answer = this.next();
    this.send({ code, confirmable: true, messageId: ++this.messageId, token: Buffer.from([this.messageId]), options, ...(payload ? { payload: Buffer.from(payload) } : {}) });
    return answer;
  }

  send(packet: Parameters<typeof generate>[0]): void {
    this.socket.send(generate(packet), this.serverPort, this.host);
  }

  answer(to: ParsedPacket, code: string, options: Array<{ name: string; value: Buffer }> = [], payload?: Buffer): void {
    this.send({ code, ack: true, messageId: to.messageId, token: to.token, options, ...(payload ? { payload } : {}) });
  }
}

test('send() leaves from the Server port to the registered address and returns code, numeric Content-Format, payload and Location-Path', async (t) => {
  const { lwm2m, coapPort } = await startServer(t);
  const awake: string[] = [];
  const changes: string[] = [];
  lwm2m.downlink.onAwake((endpoint) => awake.push(endpoint));
  lwm2m.downlink.onRegistrationChange((endpoint, kind) => changes.push(`${endpoint}:${kind}`));

  const client = await RawClient.open(t, 6, coapPort);
  const registered = await client.request('POST', ['rd'], ['ep=raw-1', 'lwm2m=1.1', 'b=U', 'Q'], '</lwm2m>;rt="oma.lwm2m";ct=112,</lwm2m/3/0>,</lwm2m/9>');
  assert.equal(registered.code, '2.01');
  const info = lwm2m.downlink.lookup('raw-1');
  assert.ok(info);
  assert.equal(info.address, '::1');
  assert.equal(info.port, client.socket.address().port);
  assert.equal(info.rootPath, '/lwm2m');
  assert.equal(info.preferredFormat, 112);
  assert.equal(info.queueMode, true);
  assert.equal(info.online, true, 'a queue-mode client is reachable right after its Register');
  assert.deepEqual(info.objects, [[3, 0], [9]]);
  assert.equal(lwm2m.downlink.lookup('nobody'), undefined);

  const controller = new AbortController();
  const reading = lwm2m.downlink.send(info, { method: 'GET', path: ['3', '0'], accept: 11542 }, { deadline: Date.now() + 5000, signal: controller.signal });
  const read = await client.next();
  const [{ port: fromPort }] = client.received.slice(-1);
  assert.equal(fromPort, coapPort, 'the request comes from the port the client registered with');
  assert.equal(read.code, '0.01');
  assert.equal(read.confirmable, true);
  assert.deepEqual(read.options.filter((o) => o.name === 'Uri-Path').map((o) => o.value.toString()), ['lwm2m', '3', '0']);
  assert.deepEqual(read.options.find((o) => o.name === 'Accept')?.value, Buffer.from([0x2d, 0x16]));
  client.answer(read, '2.05', [{ name: 'Content-Format', value: Buffer.from([0x2d, 0x16]) }], Buffer.from('c80005', 'hex'));
  assert.deepEqual(await reading, { code: '2.05', contentFormat: 11542, payload: Buffer.from('c80005', 'hex') });
  assert.deepEqual(awake, ['raw-1', 'raw-1'], 'its Register and its answer show the client awake');

  const creating = lwm2m.downlink.send(info, { method: 'POST', path: ['9'], contentFormat: 11542, payload: Buffer.from('00') }, { deadline: Date.now() + 5000, signal: controller.signal });
  const create = await client.next();
  assert.equal(create.code, '0.02');
  assert.deepEqual(create.payload, Buffer.from('00'));
  client.answer(create, '2.01', [{ name: 'Location-Path', value: Buffer.from('9') }, { name: 'Location-Path', value: Buffer.from('4') }]);
  const created = await creating;
  assert.equal(created.code, '2.01');
  assert.deepEqual(created.locationPath, ['9', '4']);

  const rejecting = lwm2m.downlink.send(info, { method: 'DELETE', path: ['9', '4'] }, { deadline: Date.now() + 5000, signal: controller.signal });
  const remove = await client.next();
  client.send({ code: '0.00', reset: true, messageId: remove.messageId });
  await assert.rejects(rejecting, (err: Error) => !(err instanceof CoapTimeoutError) && /RST/.test(err.message));
  const receivedBefore = client.received.length;
  assert.equal(parameters.ackTimeout, 2, "node-coap's global ACK_TIMEOUT is left alone");

  // Any message from the client shows it is awake: answers and the RST above too, a request that is not a registration request.
  const awakeBefore = awake.length;
  assert.equal((await client.request('POST', ['dp'])).code, '4.00', 'a Send without Content-Format');
  assert.equal(client.received.length, receivedBefore + 1, 'the RST itself got no answer');
  assert.equal(awake.length, awakeBefore + 1);
  assert.equal(awake.at(-1), 'raw-1');
  const pong = client.next();
  client.send({ code: '0.00', confirmable: true, messageId: 4242 });
  assert.equal((await pong).reset, true, 'a CoAP ping gets its RST');
  assert.equal(awake.length, awakeBefore + 2, 'and shows the client awake');

  const location = registered.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
  const updated = await client.request('POST', location, ['lt=90']);
  assert.equal(updated.code, '2.04');
  assert.equal((await client.request('DELETE', location)).code, '2.02');
  assert.deepEqual(changes, ['raw-1:register', 'raw-1:update', 'raw-1:deregister']);
  assert.deepEqual(awake, Array(7).fill('raw-1'), 'Register, three answers, the stray request, the ping, the Update');
});

test('send() rejects with CoapTimeoutError after MAX_TRANSMIT_WAIT, at the deadline and on abort', async (t) => {
  const { lwm2m, coapPort } = await startServer(t);
  const client = await RawClient.open(t, 4, coapPort);
  assert.equal((await client.request('POST', ['rd'], ['ep=silent-1'], '</3/0>')).code, '2.01');
  const info = lwm2m.downlink.lookup('silent-1')!;
  const signal = new AbortController().signal;

  // ACK_TIMEOUT 100 ms, MAX_RETRANSMIT 1: the request is sent twice, then given up after 100 × 3 × 1.5 ms.
  const started = Date.now();
  await assert.rejects(lwm2m.downlink.send(info, { method: 'GET', path: ['3', '0', '0'] }, { deadline: Date.now() + 10_000, signal }), CoapTimeoutError);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 400 && elapsed < 2000, `gave up after ${elapsed} ms`);
  assert.equal(client.received.filter(({ packet }) => packet.code === '0.01').length, 2, 'one retransmission');

  const deadlineStart = Date.now();
  await assert.rejects(lwm2m.downlink.send(info, { method: 'GET', path: ['3'] }, { deadline: Date.now() + 120, signal }), CoapTimeoutError);
  assert.ok(Date.now() - deadlineStart < 400, 'the deadline wins over MAX_TRANSMIT_WAIT');

  const controller = new AbortController();
  const aborted = lwm2m.downlink.send(info, { method: 'GET', path: ['3'] }, { deadline: Date.now() + 10_000, signal: controller.signal });
  controller.abort();
  await assert.rejects(aborted, CoapTimeoutError);
  await assert.rejects(lwm2m.downlink.send(info, { method: 'GET', path: ['3'] }, { deadline: Date.now() + 10_000, signal: controller.signal }), CoapTimeoutError);
});

test('a registration expires after its lifetime plus the grace period; the node shows offline', async (t) => {
  const { lwm2m, coapPort, tree } = await startServer(t, { REGISTRATION_GRACE_S: '0' });
  const changes: string[] = [];
  const expired = new Promise<void>((resolve) => lwm2m.downlink.onRegistrationChange((endpoint, kind) => {
    changes.push(`${endpoint}:${kind}`);
    if (kind === 'expire') resolve();
  }));
  const client = await RawClient.open(t, 4, coapPort);
  const registeredAt = Date.now();
  assert.equal((await client.request('POST', ['rd'], ['ep=short-lived', 'lt=1'], '</3/0>')).code, '2.01');
  const location = client.received[0].packet.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
  await expired;
  assert.ok(Date.now() - registeredAt >= 1000, 'not before its lifetime');
  assert.deepEqual(changes, ['short-lived:register', 'short-lived:expire']);
  assert.equal(lwm2m.downlink.lookup('short-lived'), undefined);
  assert.equal((await client.request('POST', location, ['lt=60'])).code, '4.04', 'an expired location is gone');
  const node = await tree.resolve('proxy/short-lived');
  assert.deepEqual(node.attrs.lbl, ['lwm2m', 'offline']);
});

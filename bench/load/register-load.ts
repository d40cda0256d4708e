import { createSocket, type Socket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { percentile, rounded } from '../stats.js';

/**
 * The registration load generator, a process of its own: `node register-load.js '<RegisterLoadSpec JSON>'`.
 * `concurrency` simulated clients, each with its own UDP socket and its share of the endpoints (endpoint i belongs
 * to client i % concurrency, so each Update comes from the address its Register came from, as a real device's does).
 * Phase 1 registers every endpoint (confirmable POST /rd, one request in flight per client) and prints one JSON line
 * (RegisterFigures); then it waits for a line `update` on stdin, sends one Update (POST /rd/<location>, no payload)
 * per endpoint, prints its line (UpdateFigures) and exits. Any failed request fails the run (exit 1, reason on stderr).
 */
export interface RegisterLoadSpec {
  host: string;
  port: number;
  endpoints: number;
  concurrency: number;
  /** Endpoint names are `<prefix><n>`. */
  prefix: string;
  timeoutMs: number;
}

export interface PhaseFigures {
  requests: number;
  elapsedMs: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** A real client's object list: the LwM2M root with its format, then Server, Device, Connectivity, Firmware, a sensor. */
const REGISTER_PAYLOAD = Buffer.from('</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</4/0>,</5/0>,</3303/0>');
const LINK_FORMAT = Buffer.from([40]);

interface Answer {
  code: string;
  location: string[];
}

/** One simulated client: a socket and one confirmable request at a time, matched to its piggybacked answer by token. */
class Client {
  private readonly socket: Socket = createSocket('udp4');
  private messageId = Math.floor(Math.random() * 0x10000);
  private token = 0;
  private waiting: { token: string; resolve(answer: Answer): void } | undefined;

  constructor(private readonly spec: RegisterLoadSpec, private readonly id: number) {
    this.socket.on('message', (datagram) => this.receive(datagram));
  }

  async request(path: string[], query: string[], payload?: Buffer): Promise<Answer> {
    const token = Buffer.alloc(4);
    token.writeUInt32BE(((this.id << 20) ^ this.token++) >>> 0);
    this.messageId = (this.messageId + 1) & 0xffff;
    const options = [
      ...path.map((segment) => ({ name: 'Uri-Path' as const, value: Buffer.from(segment) })),
      ...(payload ? [{ name: 'Content-Format' as const, value: LINK_FORMAT }] : []),
      ...query.map((item) => ({ name: 'Uri-Query' as const, value: Buffer.from(item) })),
    ];
    const message = generate({ confirmable: true, code: 'POST', messageId: this.messageId, token, options, payload });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`POST /${path.join('/')}: no answer within ${this.spec.timeoutMs} ms`)), this.spec.timeoutMs);
      this.waiting = {
        token: token.toString('hex'),
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      };
      this.socket.send(message, this.spec.port, this.spec.host);
    });
  }

  close(): void {
    this.socket.close();
  }

  private receive(datagram: Buffer): void {
    let packet: ParsedPacket;
    try {
      packet = parse(datagram);
    } catch {
      return;
    }
    if (packet.confirmable) this.socket.send(generate({ ack: true, messageId: packet.messageId, code: '0.00' }), this.spec.port, this.spec.host);
    if (packet.code === '0.00' || !this.waiting || packet.token.toString('hex') !== this.waiting.token) return;
    const { resolve } = this.waiting;
    this.waiting = undefined;
    const location = packet.options.filter((option) => option.name === 'Location-Path').map((option) => option.value.toString());
    resolve({ code: packet.code, location });
  }
}

/** Each client sends `send(i)` for its endpoints in turn; returns the figures of the whole phase. */
async function phase(clients: Client[], endpoints: number, send: (client: Client, index: number) => Promise<void>): Promise<PhaseFigures> {
  const durations: number[] = [];
  const start = performance.now();
  await Promise.all(clients.map(async (client, c) => {
    for (let index = c; index < endpoints; index += clients.length) {
      const before = performance.now();
      await send(client, index);
      durations.push(performance.now() - before);
    }
  }));
  const elapsedMs = performance.now() - start;
  durations.sort((a, b) => a - b);
  return {
    requests: endpoints,
    elapsedMs: rounded(elapsedMs),
    perSec: rounded((endpoints * 1000) / elapsedMs, 1),
    p50Ms: rounded(percentile(durations, 0.5)),
    p99Ms: rounded(percentile(durations, 0.99)),
  };
}

function nextLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve) => lines.once('line', (line) => {
    lines.close();
    process.stdin.destroy();
    resolve(line.trim());
  }));
}

async function run(spec: RegisterLoadSpec): Promise<void> {
  const clients = Array.from({ length: Math.min(spec.concurrency, spec.endpoints) }, (_, c) => new Client(spec, c));
  const locations: string[][] = new Array(spec.endpoints);
  try {
    const registered = await phase(clients, spec.endpoints, async (client, index) => {
      const answer = await client.request(['rd'], [`ep=${spec.prefix}${index}`, 'lt=86400', 'lwm2m=1.1', 'b=U'], REGISTER_PAYLOAD);
      if (answer.code !== '2.01' || answer.location.length !== 2) throw new Error(`Register of ${spec.prefix}${index} answered ${answer.code} /${answer.location.join('/')}`);
      locations[index] = answer.location;
    });
    console.log(JSON.stringify({ phase: 'register', ...registered }));
    const go = await nextLine();
    if (go !== 'update') return;
    const updated = await phase(clients, spec.endpoints, async (client, index) => {
      const answer = await client.request(locations[index], []);
      if (answer.code !== '2.04') throw new Error(`Update of ${spec.prefix}${index} answered ${answer.code}`);
    });
    console.log(JSON.stringify({ phase: 'update', ...updated }));
  } finally {
    for (const client of clients) client.close();
  }
}

try {
  await run(JSON.parse(process.argv[2] ?? '') as RegisterLoadSpec);
} catch (error) {
  console.error(`registration load generator: ${(error as Error).message}`);
  process.exitCode = 1;
}

/**
 * The observing side of an LwM2M Server for the simulator's self-tests, on node-coap's Agent (independent of
 * the simulator's code): the Agent sends Observe requests, ACKs confirmable notifications, answers a
 * notification of an observation it closed with RST, and sends GET Observe=1 on close(true). Every datagram
 * the device sends to the peer's socket is recorded as it arrived.
 */
import dgram from 'node:dgram';
import { Agent, type IncomingMessage } from 'coap';
import { generate, parse, type Packet, type ParsedPacket } from 'coap-packet';

export interface Address {
  address: string;
  port: number;
}

export interface Datagram {
  packet: ParsedPacket;
  /** The Observe option's value, when there is one. */
  observe?: number;
  /** Payload as text. */
  text: string;
  at: number;
}

export interface ObserveHandle {
  /** Token of the observation, hex. */
  token: string;
  /** The answer to the Observe request. */
  first: Datagram;
  /** Forgets the observation locally: the Agent answers the next notification with RST. */
  forget(): void;
  /** Cancels it with GET Observe=1 (same token). */
  cancel(): void;
}

export class ObserverPeer {
  readonly received: Datagram[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly agent: Agent,
  ) {
    socket.on('message', (message: Buffer) => {
      let packet: ParsedPacket;
      try {
        packet = parse(message);
      } catch {
        return;
      }
      this.received.push({ packet, observe: observeOf(packet), text: packet.payload.toString(), at: Date.now() });
      for (const wake of [...this.waiters]) wake();
    });
  }

  static async open(family: 4 | 6 = 4): Promise<ObserverPeer> {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, family === 6 ? '::1' : '127.0.0.1', resolve));
    return new ObserverPeer(socket, new Agent({ type: family === 6 ? 'udp6' : 'udp4', socket }));
  }

  /** GET with Observe=0; resolves with the handle once the device answered (whatever the code). */
  observe(device: Address, path: string, options: { accept?: number } = {}, timeoutMs = 10_000): Promise<ObserveHandle> {
    return new Promise((resolve, reject) => {
      const extra: Record<string, Buffer> = options.accept === undefined ? {} : { Accept: uint(options.accept) };
      const req = this.agent.request({ hostname: device.address, port: device.port, method: 'GET', pathname: path, observe: true, options: extra });
      const timer = setTimeout(() => reject(new Error(`no answer to Observe ${path} within ${timeoutMs} ms`)), timeoutMs);
      req.on('response', (res: IncomingMessage & { close(eager?: boolean): void }) => {
        clearTimeout(timer);
        const token = res._packet.token!.toString('hex');
        // the Agent's listener on the socket runs before the recorder's
        setImmediate(() => {
          const first = this.messages(token)[0];
          if (!first) return reject(new Error('the answer was not recorded'));
          resolve({ token, first, forget: () => res.close(), cancel: () => res.close(true) });
        });
      });
      req.on('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end();
    });
  }

  /** Responses carrying `token` (the Observe answer first, then notifications), in arrival order. */
  messages(token: string): Datagram[] {
    return this.received.filter((datagram) => datagram.packet.token.toString('hex') === token && datagram.packet.code !== '0.00');
  }

  /** Notification payloads for `token` after the Observe answer, as text. */
  notifications(token: string): string[] {
    return this.messages(token).slice(1).map((datagram) => datagram.text);
  }

  /** Resolves with what `find` returns once it returns something (checked on every datagram); rejects after `timeoutMs`. */
  waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found === undefined) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.agent.close();
    this.socket.close();
  }
}

/** One raw request datagram from a throw-away socket; resolves with the first answer that carries its token. */
export async function rawRequest(device: Address, packet: Packet, timeoutMs = 10_000): Promise<Datagram> {
  const socket = dgram.createSocket(device.address.includes(':') ? 'udp6' : 'udp4');
  const token = packet.token ?? Buffer.from([0x5a, 0x17]);
  try {
    return await new Promise<Datagram>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${packet.code} within ${timeoutMs} ms`)), timeoutMs);
      socket.on('message', (message: Buffer) => {
        const answer = parse(message);
        if (!answer.token.equals(token)) return;
        clearTimeout(timer);
        resolve({ packet: answer, observe: observeOf(answer), text: answer.payload.toString(), at: Date.now() });
      });
      socket.send(generate({ confirmable: true, messageId: 4711, ...packet, token }), device.port, device.address);
    });
  } finally {
    socket.close();
  }
}

export function option(name: string, value: Buffer): { name: string; value: Buffer } {
  return { name, value };
}

export function uint(value: number): Buffer {
  if (value === 0) return Buffer.alloc(0);
  return value > 255 ? Buffer.from([value >> 8, value & 0xff]) : Buffer.from([value]);
}

function observeOf(packet: ParsedPacket): number | undefined {
  const value = packet.options.find((entry) => entry.name === 'Observe')?.value;
  return value === undefined ? undefined : value.reduce((number, byte) => number * 256 + byte, 0);
}

import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { generate, parse, type ParsedPacket } from 'coap-packet';

/** A CoAP client socket that sends hand-built confirmable requests (chosen Message ID and token) and collects every answer. */
export class RawCoapClient {
  readonly answers: Array<{ packet: ParsedPacket; raw: Buffer }> = [];
  private readonly socket: Socket = createSocket('udp4');
  private readonly waiters = new Set<() => void>();

  constructor(private readonly port: number) {
    this.socket.on('message', (raw) => {
      this.answers.push({ packet: parse(raw), raw });
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** A confirmable POST to `path` with Uri-Query `query` and a link-format payload when given. */
  static post(messageId: number, token: Buffer, path: string[], query: string[] = [], payload?: string): Buffer {
    const options = [
      ...path.map((segment) => ({ name: 'Uri-Path' as const, value: Buffer.from(segment) })),
      ...(payload === undefined ? [] : [{ name: 'Content-Format' as const, value: Buffer.from([40]) }]),
      ...query.map((item) => ({ name: 'Uri-Query' as const, value: Buffer.from(item) })),
    ];
    return generate({ confirmable: true, code: 'POST', messageId, token, options, payload: payload === undefined ? undefined : Buffer.from(payload) });
  }

  send(datagram: Buffer): void {
    this.socket.send(datagram, this.port, '127.0.0.1');
  }

  /** Resolves with the first answer (from the start) carrying this token and Message ID that was not taken yet. */
  async answer(messageId: number, token: Buffer, taken = 0): Promise<{ packet: ParsedPacket; raw: Buffer }> {
    const matching = () => this.answers.filter(({ packet }) => packet.messageId === messageId && packet.token.equals(token));
    while (matching().length <= taken) {
      await new Promise<void>((resolve) => {
        const waiter = () => {
          this.waiters.delete(waiter);
          resolve();
        };
        this.waiters.add(waiter);
      });
    }
    return matching()[taken];
  }

  /** POST and wait for its answer: code and Location-Path. */
  async request(messageId: number, path: string[], query: string[] = [], payload?: string): Promise<{ code: string; location: string[] }> {
    const token = Buffer.alloc(4);
    token.writeUInt32BE(messageId);
    this.send(RawCoapClient.post(messageId, token, path, query, payload));
    const { packet } = await this.answer(messageId, token);
    return { code: packet.code, location: packet.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString()) };
  }

  async close(): Promise<void> {
    this.socket.close();
    await once(this.socket, 'close');
  }
}

import { createSocket } from 'node:dgram';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import type { LoadTarget, SendRequest } from './load-spec.js';

type CoapTarget = Extract<LoadTarget, { kind: 'coap' }>;

interface Waiting {
  target: CoapTarget;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A CoAP uint option value in the fewest bytes (RFC 7252 §3.2). */
function uintOption(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes);
}

function uintOf(value: Buffer): number {
  return value.reduce((sum, byte) => sum * 256 + byte, 0);
}

/**
 * Confirmable GETs with Accept from one UDP socket, matched to their answers by token: what a lean LwM2M server
 * sends a device. Each answer must be 2.05 in the accepted Content-Format, whole (no Block2).
 */
export function coapSender(targets: CoapTarget[], timeoutMs: number): { send: SendRequest; close(): void } {
  const socket = createSocket('udp4');
  const waiting = new Map<string, Waiting>();
  let messageId = Math.floor(Math.random() * 0x10000);
  let tokenCounter = 0;

  socket.on('message', (datagram, from) => {
    let packet: ParsedPacket;
    try {
      packet = parse(datagram);
    } catch {
      return;
    }
    if (packet.confirmable) socket.send(generate({ ack: true, messageId: packet.messageId, code: '0.00' }), from.port, from.address);
    if (packet.code === '0.00') return; // an empty ACK: the answer follows separately
    const key = packet.token.toString('hex');
    const entry = waiting.get(key);
    if (!entry) return;
    waiting.delete(key);
    clearTimeout(entry.timer);
    const format = packet.options.find((option) => option.name === 'Content-Format');
    const blockwise = packet.options.some((option) => option.name === 'Block2');
    if (packet.code !== '2.05') entry.reject(new Error(`${describe(entry.target)} answered ${packet.code}`));
    else if (!format || uintOf(format.value) !== entry.target.accept) entry.reject(new Error(`${describe(entry.target)} answered Content-Format ${format ? uintOf(format.value) : 'none'}, not ${entry.target.accept}`));
    else if (blockwise) entry.reject(new Error(`${describe(entry.target)} answered block-wise, which the load generator does not follow`));
    else entry.resolve();
  });

  const send: SendRequest = (index) =>
    new Promise((resolve, reject) => {
      const target = targets[index];
      const token = Buffer.alloc(4);
      token.writeUInt32BE(tokenCounter++ >>> 0);
      messageId = (messageId + 1) & 0xffff;
      const timer = setTimeout(() => {
        waiting.delete(token.toString('hex'));
        reject(new Error(`${describe(target)}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(token.toString('hex'), { target, resolve, reject, timer });
      const options = [...target.path.map((segment) => ({ name: 'Uri-Path' as const, value: Buffer.from(segment) })), { name: 'Accept' as const, value: uintOption(target.accept) }];
      socket.send(generate({ confirmable: true, code: 'GET', messageId, token, options }), target.port, target.host);
    });
  return { send, close: () => socket.close() };
}

function describe(target: CoapTarget): string {
  return `coap://${target.host}:${target.port}/${target.path.join('/')}`;
}

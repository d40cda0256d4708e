import { randomInt } from 'node:crypto';
import { generate, parse, type Packet, type ParsedPacket } from 'coap-packet';

/**
 * First look at every datagram, before node-coap sees it (node-coap answers its own parse failures with 5.00
 * sent to the wrong address). Follows RFC 7252: message format errors in a Confirmable message are
 * rejected with RST, otherwise silently dropped; requests we will not process get their 4.xx / 5.xx here.
 */

/** Largest request we accept, in one datagram or reassembled from Block1 blocks. */
export const MAX_REQUEST_BYTES = 16 * 1024;

export type GuardVerdict =
  | { action: 'pass'; packet: ParsedPacket }
  | { action: 'drop'; reason: string }
  | { action: 'reply'; reason: string; reply: Buffer };

const METHODS = new Set(['0.01', '0.02', '0.03', '0.04']);
const PROXY_OPTIONS = new Set(['Proxy-Uri', 'Proxy-Scheme']);

function reset(messageId: number): Buffer {
  return generate({ code: '0.00', reset: true, confirmable: false, ack: false, messageId });
}

function uint(value: number): Buffer {
  if (value === 0) return Buffer.alloc(0);
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
}

function readUint(value: Buffer): number {
  return value.reduce((acc, byte) => acc * 256 + byte, 0);
}

/** A response to a request the server will not hand to its handlers: piggybacked on the ACK for CON, NON for NON. */
function errorResponse(request: ParsedPacket, code: string, diagnostic: string, options: Packet['options'] = []): Buffer {
  return generate({
    code,
    confirmable: false,
    ack: request.confirmable,
    reset: false,
    messageId: request.confirmable ? request.messageId : randomInt(0, 0x10000),
    token: request.token,
    options,
    payload: Buffer.from(diagnostic),
  });
}

function formatError(raw: Buffer, reason: string): GuardVerdict {
  const confirmable = (raw[0] >> 4) & 0x03;
  return confirmable === 0 ? { action: 'reply', reason, reply: reset(raw.readUInt16BE(2)) } : { action: 'drop', reason };
}

/** Requested size: the payload, or for Block1 the offset of this block plus its payload. */
function requestSize(packet: ParsedPacket): number | 'bad-block' {
  const block1 = packet.options.find((option) => option.name === 'Block1');
  if (!block1) return packet.payload.length;
  if (block1.value.length > 3) return 'bad-block';
  const value = readUint(block1.value);
  const szx = value & 0x07;
  if (szx === 7) return 'bad-block';
  return (value >> 4) * 2 ** (szx + 4) + packet.payload.length;
}

function inspectRequest(packet: ParsedPacket): GuardVerdict {
  if (!METHODS.has(packet.code)) {
    return { action: 'reply', reason: 'unsupported_method', reply: errorResponse(packet, '4.05', 'method not allowed') };
  }
  for (const option of packet.options) {
    const name = String(option.name);
    if (/^\d+$/.test(name) && Number(name) % 2 === 1) {
      return { action: 'reply', reason: 'bad_option', reply: errorResponse(packet, '4.02', `unrecognized critical option ${name}`) };
    }
    if (PROXY_OPTIONS.has(name)) {
      return { action: 'reply', reason: 'proxy_request', reply: errorResponse(packet, '5.05', 'proxying not supported') };
    }
    if (name === 'Observe' && packet.code !== '0.01') {
      return { action: 'reply', reason: 'bad_option', reply: errorResponse(packet, '4.02', 'Observe only with GET') };
    }
  }
  const size = requestSize(packet);
  if (size === 'bad-block') {
    return { action: 'reply', reason: 'bad_option', reply: errorResponse(packet, '4.00', 'invalid Block1 option') };
  }
  if (size > MAX_REQUEST_BYTES) {
    const size1 = [{ name: 'Size1', value: uint(MAX_REQUEST_BYTES) }];
    return { action: 'reply', reason: 'oversized', reply: errorResponse(packet, '4.13', `request larger than ${MAX_REQUEST_BYTES} bytes`, size1) };
  }
  return { action: 'pass', packet };
}

export function inspectDatagram(raw: Buffer): GuardVerdict {
  if (raw.length < 4) return { action: 'drop', reason: 'truncated' };
  if (raw[0] >> 6 !== 1) return { action: 'drop', reason: 'bad_version' };
  if ((raw[0] & 0x0f) > 8) return formatError(raw, 'format_error');
  let packet: ParsedPacket;
  try {
    packet = parse(raw);
  } catch {
    return formatError(raw, 'format_error');
  }
  const codeClass = Number(packet.code.split('.')[0]);
  if (codeClass === 1 || codeClass >= 6) return formatError(raw, 'reserved_code');
  // An empty CON is a CoAP ping (node-coap's agent answers it with RST); an empty NON is a format error (RFC 7252 §4.3).
  if (packet.code === '0.00' && !packet.ack && !packet.reset && !packet.confirmable) return { action: 'drop', reason: 'format_error' };
  if (codeClass === 0 && packet.code !== '0.00') {
    if (packet.ack || packet.reset) return formatError(raw, 'format_error');
    return inspectRequest(packet);
  }
  return { action: 'pass', packet };
}

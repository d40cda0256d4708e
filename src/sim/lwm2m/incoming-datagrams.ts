import type dgram from 'node:dgram';
import { generate, parse } from 'coap-packet';

export interface DatagramHooks {
  /** Asked about every incoming request datagram: true = lost, as on a radio link (no ACK, no response). */
  drop(): boolean;
  /** Runs right after node-coap handled an incoming Reset (it ends the observation the Reset answered, synchronously). */
  afterReset(): void;
}

const GET = 0x01;
const FETCH = 0x05;
const TYPE_RESET = 3;

/**
 * Wraps the socket's `message` event, before node-coap's Server and Agent see a datagram: drops request
 * datagrams on demand, removes the Observe option from requests other than GET and FETCH, and reports
 * Resets. node-coap answers a PUT or POST carrying Observe=0 with an unmatched 5.00 that has neither the
 * request's message ID nor its token; real clients ignore the elective option there, so the device does too.
 */
export function watchIncomingDatagrams(socket: dgram.Socket, hooks: DatagramHooks): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  (socket as { emit: typeof emit }).emit = (event, ...args) => {
    if (event !== 'message' || !Buffer.isBuffer(args[0])) return emit(event, ...args);
    const datagram = args[0];
    if (isRequestDatagram(datagram)) {
      if (hooks.drop()) return false;
      if (datagram[1] !== GET && datagram[1] !== FETCH) args[0] = withoutObserve(datagram);
    }
    const handled = emit(event, ...args);
    if (isReset(datagram)) hooks.afterReset();
    return handled;
  };
}

/** CoAP header byte 1 is the code: class 0 with a non-zero detail is a request (0.00 is an empty ACK/RST/ping). */
function isRequestDatagram(datagram: Buffer): boolean {
  return datagram.length >= 4 && datagram[1] !== 0 && datagram[1] >> 5 === 0;
}

function isReset(datagram: Buffer): boolean {
  return datagram.length >= 4 && ((datagram[0] >> 4) & 0x03) === TYPE_RESET;
}

/** The same request without Observe options; a datagram that does not parse is left to node-coap as it is. */
function withoutObserve(datagram: Buffer): Buffer {
  try {
    const packet = parse(datagram);
    if (!packet.options?.some((option) => option.name === 'Observe')) return datagram;
    return generate({ ...packet, options: packet.options.filter((option) => option.name !== 'Observe') });
  } catch {
    return datagram;
  }
}

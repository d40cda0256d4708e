import dgram, { type RemoteInfo, type SocketOptions } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import { Agent, Server, type CoapServerOptions, type IncomingMessage, type OutgoingMessage } from 'coap';
import { generate, type ParsedPacket } from 'coap-packet';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/logger.js';
import type { ListenerName, Lwm2mMetrics } from '../lwm2m-metrics.js';
import { inspectDatagram } from './datagram-guard.js';
import { sendReply, type CoapReply } from './coap-reply.js';
import { ReplyCache, exchangeKey } from './reply-cache.js';

/** Longest a handler may take before node-coap sends an empty ACK and a separate response (stays below ACK_TIMEOUT). */
const PIGGYBACK_REPLY_MS = 500;

export interface CoapEndpointOptions {
  listener: ListenerName;
  host: string;
  port: number;
  metrics: Lwm2mMetrics;
  logger: Logger;
  /** Answers one request; a throw is logged and answered 5.00. */
  handle(request: IncomingMessage): Promise<CoapReply>;
  /** Every datagram that passed the guard (requests, responses, ACK/RST), before node-coap handles it. */
  onPacket?(packet: ParsedPacket, peer: RemoteInfo): void;
  /** Answers kept for duplicate confirmable requests: at most this many, for at most this long. */
  duplicates: { maxEntries: number; maxAgeMs: number };
}

/** One UDP socket shared by a CoAP server (requests from clients) and agent (our requests to them). */
export interface CoapEndpoint {
  readonly listener: ListenerName;
  readonly port: number;
  readonly agent: Agent;
  /** The form of a peer address this socket can send to (IPv4 on a dual-stack socket becomes IPv4-mapped). */
  sendAddress(address: string): string;
  close(): Promise<void>;
}

/** A dgram socket that lets only well-formed CoAP through to its 'message' listeners (node-coap's server and agent). */
class GuardedSocket extends dgram.Socket {
  constructor(
    options: SocketOptions,
    private readonly admit: (raw: Buffer, peer: RemoteInfo) => boolean,
  ) {
    super(options as object);
  }

  override emit(event: string | symbol, ...args: any[]): boolean {
    if (event === 'message' && !this.admit(args[0] as Buffer, args[1] as RemoteInfo)) return false;
    if (event === 'close') this.boundAddress = undefined;
    return super.emit(event, ...args);
  }

  private boundAddress?: AddressInfo;

  /** node-coap's agent asks for it on every datagram it receives: one system call each, for an answer that never changes once bound. */
  override address(): AddressInfo {
    return (this.boundAddress ??= super.address());
  }
}

const CONFIRMABLE = 0;
const ACKNOWLEDGEMENT = 2;

function messageType(message: Buffer): number {
  return (message[0] >> 4) & 0x3;
}

/**
 * node-coap keeps every answer it sends (with its retransmission state and the whole response) for EXCHANGE_LIFETIME
 * (~247 s) to answer duplicates: kilobytes per request. Here the endpoint's ReplyCache keeps the answer's bytes for
 * that, and node-coap's cache only what it needs to stop retransmitting: our confirmable (separate) responses.
 * node-coap also sends its own error responses to the port only (no address) and without the ACK flag; sent properly here.
 * This relies on node-coap's internals (`_lru`, its key `<peer>/<mid>…`, `sender`): package.json pins its exact version;
 * test/lwm2m/duplicate-register.test.ts fails when an upgrade changes them.
 */
class Lwm2mCoapServer extends Server {
  constructor(options: CoapServerOptions, private readonly replies: ReplyCache) {
    super(options);
    const cache = this._lru;
    const keep = cache.set.bind(cache);
    cache.set = ((key: string, message: Buffer) => {
      if (messageType(message) === CONFIRMABLE) return keep(key, message);
      if (messageType(message) === ACKNOWLEDGEMENT) {
        this.replies.answered(`${key.slice(0, key.lastIndexOf('/'))}/${message.readUInt16BE(2)}`, message);
      }
      // node-coap attaches the message's sender right after this call and sends it, arming a MAX_RTT (202 s) timer
      // that keeps the whole exchange in memory; an answer that is never retransmitted needs none.
      queueMicrotask(() => (message as Buffer & { sender?: { reset(): void } }).sender?.reset());
      return cache;
    }) as typeof cache.set;
  }

  override _sendError(payload: Buffer, rsinfo: AddressInfo, packet?: { messageId?: number; token?: Buffer; confirmable?: boolean }, code = '5.00'): void {
    const socket = this._sock;
    if (!(socket instanceof dgram.Socket)) return;
    const message = generate({ code, payload, ack: packet?.confirmable ?? false, messageId: packet?.messageId, token: packet?.token });
    if (packet?.confirmable && packet.messageId !== undefined) this.replies.answered(exchangeKey(rsinfo.address, rsinfo.port, packet.messageId), message);
    socket.send(message, rsinfo.port, rsinfo.address);
  }
}

/** A confirmable request (not an empty message, not a response): the kind a client retransmits. */
function isConfirmableRequest(packet: ParsedPacket): boolean {
  return packet.confirmable && packet.code !== '0.00' && packet.code.startsWith('0.');
}

/** Plain IPv4 for an IPv4-mapped IPv6 address (what a dual-stack socket reports). */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function bind(socket: dgram.Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

export async function openCoapEndpoint(options: CoapEndpointOptions): Promise<CoapEndpoint> {
  const { listener, metrics, logger } = options;
  const type = isIPv6(options.host) ? 'udp6' : 'udp4';

  const replies = new ReplyCache(options.duplicates.maxEntries, options.duplicates.maxAgeMs);
  const admit = (raw: Buffer, peer: RemoteInfo): boolean => {
    const verdict = inspectDatagram(raw);
    if (verdict.action === 'pass') {
      if (isConfirmableRequest(verdict.packet)) {
        const seen = replies.arrived(exchangeKey(peer.address, peer.port, verdict.packet.messageId));
        // a duplicate: the same answer again, or nothing while the first copy is still being handled
        if (seen.state === 'answered') socket.send(seen.reply, peer.port, peer.address, () => {});
        if (seen.state !== 'new') return false;
      }
      options.onPacket?.(verdict.packet, peer);
      return true;
    }
    metrics.malformed.inc({ listener, reason: verdict.reason });
    logger.debug({ listener, peer: `${peer.address}:${peer.port}`, reason: verdict.reason }, 'rejected CoAP datagram');
    if (verdict.action === 'reply') socket.send(verdict.reply, peer.port, peer.address, () => {});
    return false;
  };
  const socket = new GuardedSocket({ type, ipv6Only: false }, admit);
  await bind(socket, options.port, options.host);
  socket.on('error', (err) => logger.error({ err, listener }, 'CoAP socket error'));

  const server = new Lwm2mCoapServer({ type, piggybackReplyMs: PIGGYBACK_REPLY_MS }, replies);
  const inFlight = new Set<Promise<void>>();
  server.on('request', (request: IncomingMessage, response: OutgoingMessage) => {
    // node-coap hands empty messages (pings, stray RSTs: the agent's business) to the request listener too,
    // with a piggyback timer that would send an empty ACK later; no answer from the server side.
    if (request.code === '0.00') {
      clearTimeout(response._ackTimer ?? undefined);
      return;
    }
    const answered = options.handle(request).then(
      (reply) => sendReply(response, reply),
      (err: unknown) => {
        logger.error({ err, listener, url: request.url }, 'CoAP request handling failed');
        sendReply(response, { code: '5.00', diagnostic: 'internal error' });
      },
    );
    inFlight.add(answered);
    void answered.finally(() => inFlight.delete(answered));
  });
  server.on('error', (err: Error) => logger.error({ err, listener }, 'CoAP server error'));
  server.listen(socket);
  const agent = new Agent({ socket });
  agent.on('error', (err: Error) => logger.error({ err, listener }, 'CoAP agent error'));

  return {
    listener,
    port: socket.address().port,
    agent,
    sendAddress: (address) => (type === 'udp6' && isIPv4(address) ? `::ffff:${address}` : address),
    async close() {
      // Requests being handled still answer (and node-coap's piggyback timers fire) before the socket goes.
      await Promise.allSettled(inFlight);
      server.close();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

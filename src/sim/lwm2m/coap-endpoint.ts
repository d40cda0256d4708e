import dgram from 'node:dgram';
import { Agent, Server, type IncomingMessage, type OutgoingMessage } from 'coap';
import { toBinary } from 'coap/dist/lib/option_converter.js';
import { setLongTimeout, type LongTimer } from '../../core/long-timer.js';
import { watchIncomingDatagrams } from './incoming-datagrams.js';
import { answerOnce, startObserveChannel, uintOption, type ObserveChannel, type ObserveWriteStream } from './observe-channel.js';

/** A request the simulated device received, as it arrived. */
export interface ReceivedRequest {
  method: string;
  /** URI path as received, e.g. `/3/0/9` (alternate root path included). */
  path: string;
  query: string[];
  accept?: number;
  contentFormat?: number;
  payload: Buffer;
  /** Epoch ms. */
  at: number;
  /** Who sent it. */
  from: { address: string; port: number };
  /** The Observe option of a GET (0 register, 1 deregister); the device ignores it on other methods, as real clients do. */
  observe?: number;
  /** Token, hex. */
  token: string;
}

/** What the device answers; `code: 'none'` leaves the request unanswered (node-coap then sends an empty ACK, never a response). */
export interface DeviceAnswer {
  code: string;
  contentFormat?: number;
  payload?: Buffer;
  locationPath?: string[];
  /** On a 2.05 to a GET with Observe=0: the device keeps the observation; the answer carries Observe and `observe` gets the channel for notifications. */
  observe?: (channel: ObserveChannel) => void;
}

export type RequestHandler = (request: ReceivedRequest) => DeviceAnswer;

export interface OutgoingRequest {
  host: string;
  port: number;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string[];
  query: string[];
  contentFormat?: number;
  payload?: Buffer;
}

export interface ServerAnswer {
  code: string;
  locationPath: string[];
  payload: Buffer;
}

export class SimTimeoutError extends Error {}

/**
 * One UDP socket shared by a node-coap Server (answers the proxy's downlink requests) and an Agent
 * (sends Register, Update, Bootstrap-Request... from the same port, because the proxy answers to the
 * source port). `dropIncoming` is asked about every incoming request datagram before node-coap sees it:
 * a dropped datagram is lost as on a radio link, so the sender gets no ACK and retransmits. A GET with
 * Observe=0 answered with `observe` opens an ObserveChannel (node-coap's observe stream underneath).
 */
export class CoapEndpoint {
  private readonly server: Server;
  private readonly agent: Agent;
  private readonly unanswered = new Set<OutgoingMessage>();
  private readonly pending = new Set<{ req: OutgoingMessage; timer: LongTimer; reject: (error: Error) => void }>();
  private readonly channels = new Set<ObserveChannel>();
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    handler: RequestHandler,
    dropIncoming: () => boolean,
  ) {
    const type = socket.address().family === 'IPv6' ? 'udp6' : 'udp4';
    watchIncomingDatagrams(socket, {
      drop: dropIncoming,
      afterReset: () => {
        for (const channel of [...this.channels]) channel.resetReceived();
      },
    });
    this.server = new Server({ type });
    this.server.on('request', (req: IncomingMessage, res: OutgoingMessage) => this.answer(req, res, handler));
    this.server.listen(socket);
    this.agent = new Agent({ type, socket });
  }

  static async open(family: 4 | 6, handler: RequestHandler, dropIncoming: () => boolean): Promise<CoapEndpoint> {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, family === 6 ? '::1' : '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new CoapEndpoint(socket, handler, dropIncoming);
  }

  address(): { address: string; port: number; family: string } {
    return this.socket.address();
  }

  /** Sends one confirmable request from the shared socket; rejects with SimTimeoutError after `timeoutMs`. */
  request(spec: OutgoingRequest, timeoutMs: number): Promise<ServerAnswer> {
    if (this.closed) return Promise.reject(new Error('simulated device is closed'));
    return new Promise((resolve, reject) => {
      const options: Record<string, Buffer[] | Buffer> = {};
      if (spec.path.length > 0) options['Uri-Path'] = spec.path.map((segment) => Buffer.from(segment));
      if (spec.query.length > 0) options['Uri-Query'] = spec.query.map((part) => Buffer.from(part));
      if (spec.contentFormat !== undefined) options['Content-Format'] = uintOption(spec.contentFormat);
      const req = this.agent.request({ hostname: spec.host, port: spec.port, method: spec.method, options });
      const settle = (outcome: () => void): void => {
        exchange.timer.clear();
        this.pending.delete(exchange);
        outcome();
      };
      const exchange = {
        req,
        reject: (error: Error) => settle(() => reject(error)),
        timer: setLongTimeout(() => {
          this.agent.abort(req);
          exchange.reject(new SimTimeoutError(`no answer to ${spec.method} /${spec.path.join('/')} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.pending.add(exchange);
      req.on('response', (res: IncomingMessage) => {
        settle(() => resolve({ code: res.code, locationPath: optionStrings(res, 'Location-Path'), payload: res.payload }));
      });
      req.on('error', (error: Error) => exchange.reject(error));
      req.end(spec.payload ?? Buffer.alloc(0));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // an unanswered request still has node-coap's piggyback timer, which would send an ACK on the closed socket
    for (const res of this.unanswered) if (res._ackTimer) clearTimeout(res._ackTimer);
    this.unanswered.clear();
    for (const channel of [...this.channels]) channel.close();
    for (const exchange of this.pending) {
      this.agent.abort(exchange.req);
      exchange.reject(new Error('simulated device closed'));
    }
    this.agent.close();
    this.server.close();
    this.socket.close();
  }

  private answer(req: IncomingMessage, res: OutgoingMessage, handler: RequestHandler): void {
    // node-coap's server also reports messages that are no requests (a late response, say) on the shared socket; they are the agent's
    if (!req.method) return;
    const received: ReceivedRequest = {
      method: req.method,
      path: '/' + optionStrings(req, 'Uri-Path').join('/'),
      query: optionStrings(req, 'Uri-Query'),
      accept: numericOption(req, 'Accept'),
      contentFormat: numericOption(req, 'Content-Format'),
      payload: req.payload,
      at: Date.now(),
      from: { address: req.rsinfo.address, port: req.rsinfo.port },
      observe: req.method === 'GET' ? numericOption(req, 'Observe') : undefined,
      token: req._packet.token?.toString('hex') ?? '',
    };
    const answer = handler(received);
    if (answer.code === 'none') {
      this.unanswered.add(res);
      return;
    }
    if (isObserveStream(res)) return this.answerObserve(res, answer);
    res.code = answer.code;
    if (answer.contentFormat !== undefined) res.setOption('Content-Format', uintOption(answer.contentFormat));
    if (answer.locationPath) res.setOption('Location-Path', answer.locationPath.map((segment) => Buffer.from(segment)));
    res.end(answer.payload ?? Buffer.alloc(0));
  }

  private answerObserve(stream: ObserveWriteStream, answer: DeviceAnswer): void {
    const forget = (channel: ObserveChannel): void => void this.channels.delete(channel);
    const channel = answer.observe && answer.code === '2.05' ? startObserveChannel(stream, answer, forget) : undefined;
    if (!channel) return answerOnce(stream, answer.observe ? { code: '5.00', payload: Buffer.from('too large to observe') } : answer);
    this.channels.add(channel);
    answer.observe!(channel);
  }
}

/** node-coap answers a GET with Observe=0 through an ObserveWriteStream instead of an OutgoingMessage. */
function isObserveStream(res: OutgoingMessage | ObserveWriteStream): res is ObserveWriteStream {
  return typeof (res as Partial<ObserveWriteStream>)._doSend === 'function';
}

function optionValues(message: IncomingMessage, name: string): unknown[] {
  return (message._packet.options ?? []).filter((option) => option.name === name && option.value != null).map((option) => option.value);
}

function optionStrings(message: IncomingMessage, name: string): string[] {
  return optionValues(message, name).map((value) => String(value));
}

/** node-coap turns known Content-Format / Accept numbers into media-type strings; its own converter turns them back. */
function numericOption(message: IncomingMessage, name: string): number | undefined {
  const [value] = optionValues(message, name);
  return value === undefined ? undefined : toBinary(name, value).reduce((number, byte) => number * 256 + byte, 0);
}

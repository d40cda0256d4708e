import type * as observeWriteStream from 'coap/dist/lib/observe_write_stream.js';

/** node-coap's answer object for a GET with Observe=0 (a CommonJS default export, hence the namespace). */
export type ObserveWriteStream = observeWriteStream.default;

/** How the observer ended a channel: a Reset in reply to a notification, or no ACK to a confirmable one within EXCHANGE_LIFETIME. */
export type ChannelEnd = 'rst' | 'timeout';

/** What goes out on the wire: a response code, its Content-Format and payload. */
export interface ChannelAnswer {
  code: string;
  contentFormat?: number;
  payload?: Buffer;
}

/**
 * node-coap's observe streams send each payload in one datagram (no block-wise transfer); a larger one
 * would make its packet generator throw, so the channel ends it with 5.00 instead.
 */
export const MAX_NOTIFICATION_PAYLOAD = 1024;

/**
 * One accepted observation on the wire, over node-coap's ObserveWriteStream: the first write is the
 * piggybacked 2.05 with Observe, every further write a notification with the next Observe number, same
 * token and Content-Format, confirmable when the Observe request was (node-coap retransmits until ACK).
 */
export class ObserveChannel {
  private ended = false;
  private endListener?: (how: ChannelEnd) => void;

  constructor(
    private readonly stream: ObserveWriteStream,
    private readonly forget: (channel: ObserveChannel) => void,
  ) {
    // node-coap ends the stream itself on a Reset (the endpoint reports that first) or when its sender fails
    stream.once('finish', () => this.peerEnded('timeout'));
    stream.on('error', () => this.peerEnded('timeout'));
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Runs once when the observer ends the channel (not after close() or finish()). */
  onEnd(listener: (how: ChannelEnd) => void): void {
    this.endListener = listener;
  }

  /** Sends a 2.05 with the next Observe number and returns that number; undefined when the channel is closed or the payload too large (then it is finished with 5.00). */
  notify(payload: Buffer): number | undefined {
    if (this.ended) return undefined;
    if (payload.length > MAX_NOTIFICATION_PAYLOAD) {
      this.finish({ code: '5.00', payload: Buffer.from('notification too large for one datagram') });
      return undefined;
    }
    this.stream.write(payload);
    return this.stream._counter;
  }

  /** A last message without Observe (an error code such as 4.04: the observed target is gone), then closed. */
  finish(answer: ChannelAnswer): void {
    if (this.ended) return;
    this.close();
    const packet = this.stream._packet;
    packet.options = (packet.options ?? []).filter((option: { name: unknown }) => option.name !== 'Observe');
    this.stream.statusCode = answer.code;
    this.stream._doSend(answer.payload ?? Buffer.alloc(0));
  }

  /** Stops notifying without telling the observer (cancelled by the observer, or the device goes away). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.forget(this);
    this.stream.end();
  }

  /** The endpoint calls this right after node-coap handled a Reset: a stream it ended then was answered with that Reset. */
  resetReceived(): void {
    if (!this.ended && this.stream.writableEnded) this.peerEnded('rst');
  }

  private peerEnded(how: ChannelEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.forget(this);
    this.endListener?.(how);
  }
}

/** Starts a channel: the first write answers the Observe request (Observe option, piggybacked). */
export function startObserveChannel(stream: ObserveWriteStream, first: ChannelAnswer, forget: (channel: ObserveChannel) => void): ObserveChannel | undefined {
  if ((first.payload?.length ?? 0) > MAX_NOTIFICATION_PAYLOAD) return undefined;
  stream.statusCode = first.code;
  if (first.contentFormat !== undefined) stream.setOption('Content-Format', uintOption(first.contentFormat));
  const channel = new ObserveChannel(stream, forget);
  stream.write(first.payload ?? Buffer.alloc(0));
  return channel;
}

/** Answers a request that arrived with Observe=0 once, without Observe (an error, or a target that is not observed). */
export function answerOnce(stream: ObserveWriteStream, answer: ChannelAnswer & { locationPath?: string[] }): void {
  stream.statusCode = answer.code;
  if (answer.contentFormat !== undefined) stream.setOption('Content-Format', uintOption(answer.contentFormat));
  // not end(): on a stream that wrote nothing, end() sends one more (empty) answer
  stream._doSend(answer.payload ?? Buffer.alloc(0));
}

export function uintOption(value: number): Buffer {
  if (value === 0) return Buffer.alloc(0);
  return value > 255 ? Buffer.from([value >> 8, value & 0xff]) : Buffer.from([value]);
}

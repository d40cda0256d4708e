import type { Logger } from '../../core/logger.js';
import { HMAC_HEADER, hmacHeaderFor } from './auth/index.js';
import { CmdIds, headerStatus, serverMessage } from './session/answer-parts.js';
import type { MessageContext, SessionEngine } from './session/session-engine.js';
import {
  type DecodeLimits, DEFAULT_DECODE_LIMITS, SyncmlDecodeError, type SyncHdr, answerContentType, decodeSyncmlAs, encodeSyncmlAs, syncmlMediaType,
} from './codec/index.js';

/** An HTTP answer: SyncML (status 200; WBXML is bytes) or a plain-text refusal of something that is no SyncML DM message. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
  /** More HTTP headers (x-syncml-hmac on an answer to an hmac device). */
  headers?: Record<string, string>;
}

export interface SyncmlEndpointDeps {
  engine: SessionEngine;
  logger: Logger;
  maxBytes: number;
}

function refusal(status: number, text: string): HttpAnswer {
  return { status, contentType: 'text/plain; charset=utf-8', body: `${text}\n` };
}

/**
 * DM 1.2/1.3 over HTTP: checks the media type, decodes (XML or WBXML, by Content-Type) and hands the message to the
 * session engine. Every SyncML answer is HTTP 200 in the type (and encoding) the device used; a message whose SyncHdr is readable but that cannot be served gets a header
 * Status with the SyncML code (400, 413, 505, 513); anything else gets an HTTP error (400, 413, 415; 503 for a device with
 * too many messages at once) with the reason.
 */
export function createSyncmlEndpoint(deps: SyncmlEndpointDeps): (contentType: string | undefined, body: Buffer, context: Omit<MessageContext, 'encoding' | 'body'>) => Promise<HttpAnswer> {
  const limits: DecodeLimits = { ...DEFAULT_DECODE_LIMITS, maxBytes: deps.maxBytes };
  return async (contentType, body, context) => {
    const type = syncmlMediaType(contentType);
    if (type === undefined) {
      return refusal(415, `Content-Type ${contentType ?? '(none)'} is not SyncML: post application/vnd.syncml.dm+xml or application/vnd.syncml.dm+wbxml`);
    }
    const { encoding } = type;
    const answerType = answerContentType(type);
    let message;
    try {
      message = decodeSyncmlAs(encoding, body, limits);
    } catch (error) {
      if (!(error instanceof SyncmlDecodeError)) throw error;
      deps.logger.info({ kind: error.kind, reason: error.message, peer: context.peer }, 'SyncML message refused');
      if (error.header === undefined) return refusal(error.httpStatus, `not a SyncML DM message: ${error.message}`);
      return { status: 200, contentType: answerType, body: encodeSyncmlAs(encoding, errorAnswer(error.header, error.syncmlStatus, deps.maxBytes)) };
    }
    const answer = await deps.engine.handle(message, { ...context, encoding, body });
    if (answer === undefined) return refusal(503, 'too many messages of this device at once: send one message at a time');
    const encoded = encodeSyncmlAs(encoding, answer.message);
    // Signed over the exact bytes that go on the wire.
    const headers = answer.signWith === undefined ? undefined : { [HMAC_HEADER]: hmacHeaderFor(answer.signWith, typeof encoded === 'string' ? Buffer.from(encoded) : encoded) };
    return { status: 200, contentType: answerType, body: encoded, ...(headers ? { headers } : {}) };
  };
}

/** Only the header Status: nothing of the message was carried out, and the session (if any) is left as it was. */
function errorAnswer(received: SyncHdr, code: number, maxMsgSize: number) {
  const supported: SyncHdr = { ...received, verDtd: received.verDtd === '1.3' ? '1.3' : '1.2', verProto: received.verProto === 'DM/1.3' ? 'DM/1.3' : 'DM/1.2' };
  return serverMessage({ received: supported, msgId: 1, maxMsgSize }, [headerStatus(received, new CmdIds(), code)], true);
}

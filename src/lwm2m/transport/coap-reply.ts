import type { OutgoingMessage } from 'coap';

/** What a CoAP request handler answers; error replies carry a diagnostic payload (RFC 7252 §5.5.2). */
export interface CoapReply {
  code: string;
  locationPath?: string[];
  diagnostic?: string;
}

export function sendReply(response: OutgoingMessage, reply: CoapReply): void {
  response.code = reply.code;
  if (reply.locationPath) response.setOption('Location-Path', reply.locationPath.map((segment) => Buffer.from(segment)));
  response.end(reply.diagnostic === undefined ? undefined : Buffer.from(reply.diagnostic));
}


import type { IncomingMessage, OutgoingMessage } from 'coap';

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

/** node-coap request listener around an async handler: answers what it returns, 5.00 (logged) when it throws. */
export function serveRequests(
  handle: (request: IncomingMessage) => Promise<CoapReply>,
  onError: (err: unknown, request: IncomingMessage) => void,
): (request: IncomingMessage, response: OutgoingMessage) => void {
  return (request, response) => {
    handle(request).then(
      (reply) => sendReply(response, reply),
      (err: unknown) => {
        onError(err, request);
        sendReply(response, { code: '5.00', diagnostic: 'internal error' });
      },
    );
  };
}

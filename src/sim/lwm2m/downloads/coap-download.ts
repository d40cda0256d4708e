import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import { Agent, type IncomingMessage } from 'coap';
import { failed, MAX_PACKAGE_BYTES, type DownloadOutcome, type DownloadProgress } from './download-outcome.js';

/** node-coap only gives up after EXCHANGE_LIFETIME (247 s); a server silent this long counts as lost. */
const SILENCE_LIMIT_MS = 30_000;

/**
 * GET over coap from an ephemeral socket of our own (so datagrams can be watched); node-coap's agent asks for every Block2 block and hands over the
 * whole payload. Each datagram that arrives restarts the silence limit and reports progress.
 */
export async function fetchCoapPackage(url: URL, signal: AbortSignal, progress: (progress: DownloadProgress) => void): Promise<DownloadOutcome> {
  // resolved here: a name that does not resolve would otherwise surface as an error of the socket, outside the request
  let host: string;
  try {
    host = (await lookup(url.hostname.replace(/^\[|\]$/g, ''))).address;
  } catch (error) {
    return failed('invalid-uri', `coap GET ${url.href}: ${(error as Error).message}`);
  }
  const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  const agent = new Agent({ type: isIPv6(host) ? 'udp6' : 'udp4', socket });
  return new Promise<DownloadOutcome>((resolve) => {
    const req = agent.request({
      hostname: host,
      port: url.port === '' ? 5683 : Number(url.port),
      method: 'GET',
      pathname: decodeURIComponent(url.pathname),
      query: url.search.replace(/^\?/, ''),
    });
    let silence: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: DownloadOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(silence);
      signal.removeEventListener('abort', onAbort);
      socket.off('message', onDatagram);
      agent.abort(req);
      agent.close();
      socket.close(); // an agent never closes a socket it was given
      resolve(outcome);
    };
    const listen = (): void => {
      clearTimeout(silence);
      silence = setTimeout(() => settle(failed('connection-lost', `no answer from ${url.host} for ${SILENCE_LIMIT_MS / 1000} s`)), SILENCE_LIMIT_MS);
    };
    const onDatagram = (): void => {
      if (settled) return; // the agent saw the last datagram first and its response settled the download
      const received = req._totalPayload.length;
      if (received > MAX_PACKAGE_BYTES) return settle(failed('too-large', `${url.href} sent more than ${MAX_PACKAGE_BYTES} bytes`));
      if (received > 0) progress({ received });
      listen();
    };
    const onAbort = (): void => settle(failed('connection-lost', 'cancelled'));
    signal.addEventListener('abort', onAbort);
    socket.on('message', onDatagram);
    req.on('response', (res: IncomingMessage) => {
      if (res.code === '2.05') return settle({ ok: true, bytes: res.payload.length });
      const reason = `${url.href} answered ${res.code}`;
      settle(failed(res.code.startsWith('4.') ? 'invalid-uri' : 'connection-lost', reason));
    });
    req.on('error', (error: Error) => settle(failed('connection-lost', `coap GET ${url.href}: ${error.message}`)));
    socket.on('error', (error: Error) => settle(failed('connection-lost', `coap GET ${url.href}: ${error.message}`)));
    req.on('timeout', () => settle(failed('connection-lost', `no answer from ${url.host}`)));
    listen();
    req.end();
  });
}

import type { IncomingMessage } from 'coap';
import type { Logger } from '../../core/logger.js';
import { isMultiValueFormat } from '../formats/index.js';
import type { KeyedQueue } from '../../core/keyed-queue.js';
import type { Lwm2mMetrics } from '../lwm2m-metrics.js';
import { parseQuery, queryValue } from '../query-params.js';
import { MAX_ENDPOINT_LENGTH } from '../registration/registration-params.js';
import { Lwm2mRequestError } from '../request-error.js';
import { uriQuery } from '../transport/coap-options.js';
import type { CoapReply } from '../transport/coap-reply.js';
import type { BootstrapConfigStore } from './bootstrap-config-store.js';
import { runBootstrapSession, type BootstrapClient, type BootstrapSessionDeps } from './bootstrap-session.js';

/** The Bootstrap Server's request side: `POST /bs?ep=&pct=` starts a session, `/bspack` (1.2) is not offered. */

export interface BootstrapInterfaceDeps {
  configs: BootstrapConfigStore;
  session: BootstrapSessionDeps;
  /** One bootstrap session at a time per endpoint. */
  sessions: KeyedQueue;
  metrics: Lwm2mMetrics;
  logger: Logger;
}

export type BootstrapPeer = Omit<BootstrapClient, 'endpoint' | 'preferredFormat'>;

function parseRequest(request: IncomingMessage): { endpoint: string; preferredFormat?: number } {
  const params = parseQuery(uriQuery(request), ['ep', 'pct']);
  const endpoint = queryValue(params, 'ep');
  if (!endpoint) throw new Lwm2mRequestError('4.00', 'missing endpoint client name (ep)');
  if (endpoint.length > MAX_ENDPOINT_LENGTH) throw new Lwm2mRequestError('4.00', 'endpoint client name too long');
  const pct = queryValue(params, 'pct');
  if (pct === undefined) return { endpoint };
  if (!/^\d{1,5}$/.test(pct)) throw new Lwm2mRequestError('4.00', `invalid pct "${pct}"`);
  if (!isMultiValueFormat(Number(pct))) throw new Lwm2mRequestError('4.15', `preferred content format ${pct} is not supported`);
  return { endpoint, preferredFormat: Number(pct) };
}

async function bootstrapRequest(deps: BootstrapInterfaceDeps, request: IncomingMessage, peer: BootstrapPeer): Promise<CoapReply> {
  const { endpoint, preferredFormat } = parseRequest(request);
  const config = await deps.configs.find(endpoint);
  if (!config) {
    const refusal = new Lwm2mRequestError('4.00', `no bootstrap configuration for endpoint "${endpoint}"`);
    await deps.session.failures
      .record({ endpoint, at: new Date().toISOString(), stage: 'request', code: refusal.code, reason: 'no configuration', client: peer.uri })
      .catch((err: unknown) => deps.logger.error({ err, endpoint }, 'recording a refused Bootstrap-Request failed'));
    deps.logger.warn({ endpoint, client: peer.uri }, 'LwM2M Bootstrap-Request refused: no configuration for the endpoint');
    throw refusal;
  }
  const client: BootstrapClient = { ...peer, endpoint, ...(preferredFormat === undefined ? {} : { preferredFormat }) };
  // The session's first request must follow our 2.04, which the caller sends when this returns.
  setImmediate(() => {
    if (deps.session.signal.aborted) return;
    deps.sessions
      .run(endpoint, () => runBootstrapSession(deps.session, client, config))
      .catch((err: unknown) => deps.logger.error({ err, endpoint }, 'LwM2M bootstrap session crashed'));
  });
  return { code: '2.04' };
}

export async function handleBootstrapRequest(deps: BootstrapInterfaceDeps, request: IncomingMessage, path: string[], peer: BootstrapPeer): Promise<CoapReply> {
  let reply: CoapReply;
  try {
    if (path.length === 1 && path[0] === 'bs') {
      reply = request.method === 'POST' ? await bootstrapRequest(deps, request, peer) : { code: '4.05', diagnostic: `${request.method} not allowed on /bs` };
    } else {
      reply = { code: '4.04', diagnostic: path[0] === 'bspack' ? 'Bootstrap-Pack is not offered; send a Bootstrap-Request' : `no resource /${path.join('/')}` };
    }
  } catch (err) {
    if (!(err instanceof Lwm2mRequestError)) throw err;
    reply = { code: err.code, diagnostic: err.message };
  }
  deps.metrics.bootstrapRequests.inc({ code: reply.code });
  return reply;
}

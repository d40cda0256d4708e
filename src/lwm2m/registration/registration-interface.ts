import type { IncomingMessage } from 'coap';
import type { Lwm2mMetrics } from '../lwm2m-metrics.js';
import { Lwm2mRequestError } from '../request-error.js';
import { messageContentFormat, uriQuery } from '../transport/coap-options.js';
import type { CoapReply } from '../transport/coap-reply.js';
import type { EndpointPolicy } from './endpoint-policy.js';
import { parseObjectLinks, type RegisteredObjects } from './object-links.js';
import { parseRegisterQuery, parseUpdateQuery } from './registration-params.js';
import type { Peer, RegistrationService } from './registration-service.js';

/** The Client Registration Interface on `/rd`: Register, Update, De-register (seed 001, reference §6.3). */

const LINK_FORMAT = 40;

export interface RegistrationInterfaceDeps {
  service: RegistrationService;
  policy: EndpointPolicy;
  supportedVersions: readonly string[];
  metrics: Lwm2mMetrics;
}

/** Object list of a Register/Update payload; undefined when an Update carries none. */
function payloadObjects(request: IncomingMessage, required: boolean): RegisteredObjects | undefined {
  const format = messageContentFormat(request);
  // lwm2m-node-lib sends its Register without Content-Format: absent means link-format.
  if (format !== undefined && format !== LINK_FORMAT) {
    throw new Lwm2mRequestError('4.00', `payload must be application/link-format (40), got Content-Format ${format}`);
  }
  const payload = request.payload ?? Buffer.alloc(0);
  if (payload.length === 0) {
    if (required) throw new Lwm2mRequestError('4.00', 'Register payload must list the objects');
    return undefined;
  }
  return parseObjectLinks(payload);
}

async function register(deps: RegistrationInterfaceDeps, request: IncomingMessage, peer: Peer): Promise<CoapReply> {
  const params = parseRegisterQuery(uriQuery(request), deps.supportedVersions);
  if (!deps.policy(params.endpoint)) throw new Lwm2mRequestError('4.03', `endpoint "${params.endpoint}" is not allowed to register`);
  const objects = payloadObjects(request, true)!;
  const registration = await deps.service.register(params, objects, peer);
  return { code: '2.01', locationPath: ['rd', registration.id] };
}

async function update(deps: RegistrationInterfaceDeps, request: IncomingMessage, id: string, peer: Peer): Promise<CoapReply> {
  const current = deps.service.byId(id);
  if (!current) throw new Lwm2mRequestError('4.04', `no registration at /rd/${id}`);
  const params = parseUpdateQuery(uriQuery(request), current.version);
  await deps.service.update(id, params, payloadObjects(request, false), peer);
  return { code: '2.04' };
}

type Operation = 'register' | 'update' | 'deregister' | 'other';

function route(deps: RegistrationInterfaceDeps, request: IncomingMessage, path: string[], peer: Peer): [Operation, () => Promise<CoapReply>] {
  const notAllowed = async (): Promise<CoapReply> => ({ code: '4.05', diagnostic: `${request.method} not allowed on /${path.join('/')}` });
  if (path.length === 1) return request.method === 'POST' ? ['register', () => register(deps, request, peer)] : ['other', notAllowed];
  if (path.length === 2 && request.method === 'POST') return ['update', () => update(deps, request, path[1], peer)];
  if (path.length === 2 && request.method === 'DELETE') {
    return ['deregister', async () => {
      if (uriQuery(request).length > 0) throw new Lwm2mRequestError('4.00', 'De-register takes no parameters');
      await deps.service.deregister(path[1]);
      return { code: '2.02' };
    }];
  }
  if (path.length === 2) return ['other', notAllowed];
  return ['other', async () => ({ code: '4.04', diagnostic: `no resource /${path.join('/')}` })];
}

/** Handles a request whose path starts with `rd`; refusals become their CoAP code with a diagnostic. */
export async function handleRegistrationRequest(deps: RegistrationInterfaceDeps, request: IncomingMessage, path: string[], peer: Peer): Promise<CoapReply> {
  const [operation, run] = route(deps, request, path, peer);
  let reply: CoapReply;
  try {
    reply = await run();
  } catch (err) {
    if (!(err instanceof Lwm2mRequestError)) throw err;
    reply = { code: err.code, diagnostic: err.message };
  }
  deps.metrics.registrationRequests.inc({ operation, code: reply.code });
  return reply;
}

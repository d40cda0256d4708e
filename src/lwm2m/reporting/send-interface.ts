import type { IncomingMessage } from 'coap';
import type { DeviceDirectory } from '../../core/device-directory.js';
import type { Logger } from '../../core/logger.js';
import type { ConverterRegistry, MappingService } from '../../mappings/types.js';
import { ContentFormat, decodeContent } from '../formats/index.js';
import { Lwm2mDecodeError, type ResourceValue } from '../formats/model.js';
import type { Lwm2mMetrics } from '../lwm2m-metrics.js';
import { parseObjectPath } from '../management/object-path.js';
import { attributesFromDevice, valuesByResource } from '../management/value-conversion.js';
import { resourceType } from '../objects/registry.js';
import { mgmtObjsOf } from '../registration/device-publication.js';
import { coapUri, type Registration } from '../registration/registration.js';
import type { Peer, RegistrationService } from '../registration/registration-service.js';
import { Lwm2mRequestError } from '../request-error.js';
import { messageContentFormat } from '../transport/coap-options.js';
import type { CoapReply } from '../transport/coap-reply.js';

/**
 * Send of the Information Reporting interface (LwM2M 1.1+): `POST /dp` with SenML JSON or CBOR. The reported values
 * go through the attribute tables into the stored `<mgmtObj>`s, as a Read's do. Answers: 2.04 Changed; 4.00 for a
 * sender without a (1.1+) registration or a payload that does not decode; 4.04 when it reports an object instance it
 * did not register; 4.15 for a Content-Format other than SenML.
 */

const SEND_FORMATS: ReadonlySet<number> = new Set([ContentFormat.SENML_JSON, ContentFormat.SENML_CBOR]);
/** SenML (RFC 8428 §4.5.3): times below 2^28 are relative to now, in seconds. */
const RELATIVE_TIME_LIMIT = 2 ** 28;

export interface SendInterfaceDeps {
  registrations: Pick<RegistrationService, 'endpointAt' | 'get'>;
  mappings: MappingService;
  directory: DeviceDirectory;
  converters: ConverterRegistry;
  metrics: Lwm2mMetrics;
  logger: Logger;
}

/** Send comes from the address and port of a registration (the client's one socket). */
function senderRegistration(deps: SendInterfaceDeps, peer: Peer): Registration {
  const endpoint = deps.registrations.endpointAt(peer.address, peer.port);
  const registration = endpoint === undefined ? undefined : deps.registrations.get(endpoint);
  if (!registration) throw new Lwm2mRequestError('4.00', `no registration from ${coapUri(peer.address, peer.port)}: Register before Send`);
  if (registration.version === '1.0') throw new Lwm2mRequestError('4.00', `Send is LwM2M 1.1+; "${registration.endpoint}" registered as LwM2M 1.0`);
  return registration;
}

function reportedValues(request: IncomingMessage): ResourceValue[] {
  const format = messageContentFormat(request);
  if (format === undefined) throw new Lwm2mRequestError('4.00', 'Send needs a Content-Format: SenML JSON (110) or SenML CBOR (112)');
  if (!SEND_FORMATS.has(format)) throw new Lwm2mRequestError('4.15', `Send carries SenML JSON (110) or SenML CBOR (112), not Content-Format ${format}`);
  let values: ResourceValue[];
  try {
    values = decodeContent(format, request.payload ?? Buffer.alloc(0), [], resourceType);
  } catch (err) {
    if (!(err instanceof Lwm2mDecodeError)) throw err;
    throw new Lwm2mRequestError('4.00', `Send payload does not decode: ${err.message}`);
  }
  if (values.length === 0) throw new Lwm2mRequestError('4.00', 'Send payload reports no value');
  const notResource = values.find(({ path }) => path.length < 3);
  if (notResource) throw new Lwm2mRequestError('4.00', `Send payload names /${notResource.path.join('/')}, not a resource`);
  return values;
}

/** Per resource (instance) the value with the latest time; a record without time is "now" (RFC 8428 §4.5.3). */
function latestValues(values: readonly ResourceValue[]): ResourceValue[] {
  const now = Date.now() / 1000;
  const when = ({ time }: ResourceValue) => (time === undefined ? now : time < RELATIVE_TIME_LIMIT ? now + time : time);
  const latest = new Map<string, ResourceValue>();
  for (const value of values) {
    const key = value.path.join('/');
    const current = latest.get(key);
    if (!current || when(value) >= when(current)) latest.set(key, value);
  }
  return [...latest.values()];
}

async function send(deps: SendInterfaceDeps, request: IncomingMessage, peer: Peer): Promise<CoapReply> {
  const registration = senderRegistration(deps, peer);
  const values = latestValues(reportedValues(request));
  const unregistered = values.find(({ path }) => !registration.objects.some((link) => link[0] === path[0] && link[1] === path[1]));
  if (unregistered) {
    throw new Lwm2mRequestError('4.04', `/${unregistered.path[0]}/${unregistered.path[1]} was not registered to this LwM2M Server`);
  }
  const table = deps.mappings.current();
  for (const mgmtObj of mgmtObjsOf(registration, table)) {
    const instance = parseObjectPath(mgmtObj.obps[0]);
    const mapping = table.lwm2mByMgmtObj(mgmtObj.type);
    if (!instance || !mapping) continue;
    const { attributes, leftOut } = attributesFromDevice(mapping, valuesByResource(values, instance), deps.converters);
    if (leftOut.length > 0) deps.logger.warn({ endpoint: registration.endpoint, mgmtObj: mgmtObj.rn, leftOut }, 'LwM2M Send: values that do not convert were not stored');
    if (Object.keys(attributes).length > 0) await deps.directory.cacheReportedAttributes('lwm2m', registration.endpoint, mgmtObj, attributes);
  }
  return { code: '2.04' };
}

/** Handles a request whose path starts with `dp`; refusals become their CoAP code with a diagnostic. */
export async function handleSendRequest(deps: SendInterfaceDeps, request: IncomingMessage, path: string[], peer: Peer): Promise<CoapReply> {
  let reply: CoapReply;
  try {
    if (path.length !== 1) reply = { code: '4.04', diagnostic: `no resource /${path.join('/')}` };
    else if (request.method !== 'POST') reply = { code: '4.05', diagnostic: `${request.method} not allowed on /dp` };
    else reply = await send(deps, request, peer);
  } catch (err) {
    if (!(err instanceof Lwm2mRequestError)) throw err;
    reply = { code: err.code, diagnostic: err.message };
  }
  deps.metrics.sendRequests.inc({ code: reply.code });
  return reply;
}

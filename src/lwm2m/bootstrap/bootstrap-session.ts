import type { Agent } from 'coap';
import type { Logger } from '../../core/logger.js';
import type { CoapRequestSpec, CoapResult } from '../downlink.js';
import { ContentFormat, encodeContent } from '../formats/index.js';
import { Lwm2mDecodeError, type ResourceValue } from '../formats/model.js';
import { LinkFormatError, parseLinkFormat } from '../formats/link-format.js';
import type { Lwm2mMetrics } from '../lwm2m-metrics.js';
import { resourceType } from '../objects/registry.js';
import { maxTransmitWaitMs, sendConfirmable, type CoapTiming } from '../transport/confirmable-request.js';
import type { BootstrapConfig } from './bootstrap-config.js';
import type { BootstrapFailureLog, BootstrapStage } from './bootstrap-failures.js';
import { securityInstance, serverInstance } from './server-account.js';

/**
 * One client-initiated bootstrap (reference §6.4, seed 002): Discover, Delete `/` (and the configured paths),
 * Write the Security and Server instances into free instance IDs, Finish. A Finish answered 4.06 (inconsistent
 * configuration) makes us delete what we wrote; the client then sends a fresh Bootstrap-Request.
 */

export interface BootstrapSessionDeps {
  agent: Agent;
  timing: CoapTiming;
  logger: Logger;
  metrics: Lwm2mMetrics;
  failures: BootstrapFailureLog;
  /** Aborts every request of every session (shutdown). */
  signal: AbortSignal;
}

export interface BootstrapClient {
  endpoint: string;
  /** Address in the form the agent's socket sends to. */
  host: string;
  port: number;
  /** `coap://address:port`, for logs and the failure record. */
  uri: string;
  /** `pct` of the Bootstrap-Request. */
  preferredFormat?: number;
}

class BootstrapStepFailed extends Error {
  constructor(
    readonly stage: BootstrapStage,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const SECURITY = 0;
const SERVER = 1;
const LINK_FORMAT = 40;
/** Without Discover (LwM2M 1.0) the Bootstrap-Server account is assumed at its conventional place, /0/0. */
const ASSUMED_BOOTSTRAP_ACCOUNT = 0;

/** What a Bootstrap-Discover answer tells: the client's LwM2M version and the instance IDs in use per object. */
interface ClientLayout {
  version?: string;
  used: Map<number, Set<number>>;
}

function layoutOf(discover: CoapResult): ClientLayout | undefined {
  if (discover.code !== '2.05') return undefined;
  try {
    const used = new Map<number, Set<number>>();
    let version: string | undefined;
    for (const link of parseLinkFormat(discover.payload.toString('utf8'))) {
      const match = /^\/(\d+)\/(\d+)$/.exec(link.target);
      if (match) used.set(Number(match[1]), (used.get(Number(match[1])) ?? new Set()).add(Number(match[2])));
      else if (link.target === '/' && typeof link.attributes.lwm2m === 'string') version = link.attributes.lwm2m;
    }
    return { version, used };
  } catch (err) {
    if (err instanceof LinkFormatError) return undefined;
    throw err;
  }
}

/** The payload in this format, undefined when the format cannot carry these values. */
function encoded(format: number, values: ResourceValue[], path: number[]): Buffer | undefined {
  try {
    return encodeContent(format, values, path, resourceType);
  } catch (err) {
    if (err instanceof Lwm2mDecodeError) return undefined;
    throw err;
  }
}

function freeInstanceId(used: Set<number> | undefined): number {
  let id = 0;
  while (used?.has(id)) id++;
  return id;
}

/** Write formats to try, best first: the client's `pct`, then what its version is expected to accept. */
function writeFormats(client: BootstrapClient, layout: ClientLayout | undefined): number[] {
  const senmlFirst = layout?.version !== undefined && layout.version !== '1.0';
  const defaults = senmlFirst
    ? [ContentFormat.SENML_CBOR, ContentFormat.SENML_JSON, ContentFormat.TLV]
    : [ContentFormat.TLV, ContentFormat.SENML_CBOR, ContentFormat.SENML_JSON];
  return [...new Set([...(client.preferredFormat === undefined ? [] : [client.preferredFormat]), ...defaults])];
}

export async function runBootstrapSession(deps: BootstrapSessionDeps, client: BootstrapClient, config: BootstrapConfig): Promise<boolean> {
  const log = deps.logger.child({ endpoint: client.endpoint, client: client.uri });

  const send = async (stage: BootstrapStage, request: CoapRequestSpec): Promise<CoapResult> => {
    try {
      return await sendConfirmable(deps.agent, { ...request, host: client.host, port: client.port }, deps.timing, {
        deadline: Date.now() + maxTransmitWaitMs(deps.timing),
        signal: deps.signal,
      });
    } catch (err) {
      throw new BootstrapStepFailed(stage, `${request.method} /${request.path.join('/')}: ${(err as Error).message}`);
    }
  };
  const expect = (stage: BootstrapStage, result: CoapResult, codes: string[], what: string) => {
    if (!codes.includes(result.code)) throw new BootstrapStepFailed(stage, `${what} answered ${result.code}`, result.code);
  };

  /** Writes in the first format the client takes; returns the formats from that one on, for the next write. */
  const write = async (objectId: number, instanceId: number, values: ResourceValue[], formats: number[]): Promise<number[]> => {
    for (const [index, format] of formats.entries()) {
      const payload = encoded(format, values, [objectId, instanceId]);
      if (!payload) continue;
      const result = await send('write', { method: 'PUT', path: [String(objectId), String(instanceId)], contentFormat: format, payload });
      if (result.code === '2.04') return formats.slice(index);
      // 4.15: the client does not take this format; try the next one.
      if (result.code !== '4.15') expect('write', result, ['2.04'], `Bootstrap-Write /${objectId}/${instanceId}`);
    }
    throw new BootstrapStepFailed('write', `Bootstrap-Write /${objectId}/${instanceId}: no content format accepted (${formats.join(', ')})`, '4.15');
  };

  const written: string[][] = [];
  try {
    const layout = layoutOf(await send('discover', { method: 'GET', path: [], accept: LINK_FORMAT }));
    const used = layout?.used ?? new Map([[SECURITY, new Set([ASSUMED_BOOTSTRAP_ACCOUNT])]]);

    expect('delete', await send('delete', { method: 'DELETE', path: [] }), ['2.02'], 'Bootstrap-Delete /');
    for (const path of config.deletes) {
      const segments = path.split('/').filter(Boolean);
      // 4.04: nothing to delete there, which is what we wanted.
      expect('delete', await send('delete', { method: 'DELETE', path: segments }), ['2.02', '4.04'], `Bootstrap-Delete ${path}`);
    }

    const securityId = freeInstanceId(used.get(SECURITY));
    const serverId = freeInstanceId(used.get(SERVER));
    const formats = await write(SECURITY, securityId, securityInstance(config, securityId), writeFormats(client, layout));
    written.push([String(SECURITY), String(securityId)]);
    await write(SERVER, serverId, serverInstance(config, serverId), formats);
    written.push([String(SERVER), String(serverId)]);

    const finish = await send('finish', { method: 'POST', path: ['bs'] });
    if (finish.code === '4.06') {
      await cleanUp(written);
      throw new BootstrapStepFailed('finish', 'Bootstrap-Finish answered 4.06: the client found the configuration inconsistent', '4.06');
    }
    expect('finish', finish, ['2.04'], 'Bootstrap-Finish');

    await deps.failures.clear(client.endpoint);
    deps.metrics.bootstrapSessions.inc({ result: 'success' });
    log.info({ security: `/0/${securityId}`, server: `/1/${serverId}`, shortServerId: config.server.shortServerId }, 'LwM2M bootstrap finished');
    return true;
  } catch (err) {
    if (!(err instanceof BootstrapStepFailed)) throw err;
    await deps.failures.record({
      endpoint: client.endpoint,
      at: new Date().toISOString(),
      stage: err.stage,
      ...(err.code === undefined ? {} : { code: err.code }),
      reason: err.message,
      client: client.uri,
    });
    deps.metrics.bootstrapSessions.inc({ result: 'failed' });
    log.warn({ stage: err.stage, code: err.code, reason: err.message }, 'LwM2M bootstrap failed');
    return false;
  }

  /** Seed 002: after a refused Finish, remove what this session wrote so a new bootstrap starts clean. */
  async function cleanUp(paths: string[][]): Promise<void> {
    for (const path of paths) {
      try {
        const result = await send('cleanup', { method: 'DELETE', path });
        if (result.code !== '2.02') log.warn({ path: `/${path.join('/')}`, code: result.code }, 'Bootstrap-Delete of a written instance failed');
      } catch (err) {
        log.warn({ path: `/${path.join('/')}`, reason: (err as Error).message }, 'Bootstrap-Delete of a written instance failed');
      }
    }
  }
}

import type { DeviceCallContext } from '../../devices/adapter.js';
import type { Lwm2mOperation } from '../../mappings/types.js';
import { CoapTimeoutError, type CoapRequestSpec, type CoapResult, type Lwm2mClientInfo, type Lwm2mDownlink } from '../downlink.js';
import type { DownlinkMetrics } from './downlink-metrics.js';
import type { EndpointQueues } from './endpoint-queue.js';
import { DeviceSleepingError, DeviceStepError, NotRegisteredError } from './errors.js';

export interface Exchange extends CoapResult {
  /** The registration the request went to (looked up when it left the queue). */
  client: Lwm2mClientInfo;
}

export function describeStep(operation: Lwm2mOperation, path: readonly (string | number)[]): string {
  return `${operation} /${path.join('/')}`;
}

function liveClient(downlink: Lwm2mDownlink, endpoint: string): Lwm2mClientInfo {
  const client = downlink.lookup(endpoint);
  // A sleeping queue-mode client is still registered: its requests wait in the queue instead.
  if (!client || (!client.online && !client.queueMode)) throw new NotRegisteredError(`endpoint "${endpoint}" is not registered`);
  return client;
}

/** Any failure to get an answer (RST, socket error) counts as the device not answering. */
function unreachable(error: unknown): never {
  if (error instanceof CoapTimeoutError) throw error;
  throw new CoapTimeoutError(`no usable answer: ${(error as Error)?.message ?? String(error)}`);
}

/** The transport outcome (status-table key) of an error, or undefined when it is not a transport outcome. */
function transportCode(error: unknown, ctx: DeviceCallContext): string | undefined {
  if (error instanceof NotRegisteredError) return 'not-registered';
  if (error instanceof DeviceSleepingError) return 'sleeping';
  if (error instanceof CoapTimeoutError || ctx.signal.aborted) return 'timeout';
  return undefined;
}

/** Sends one request to a device through its endpoint queue; answers any CoAP code, throws DeviceStepError for transport outcomes. */
export class DeviceChannel {
  constructor(
    private readonly downlink: Lwm2mDownlink,
    private readonly queues: EndpointQueues,
    private readonly metrics: DownlinkMetrics,
  ) {}

  /** The endpoint's registration, or DeviceStepError(`not-registered`). */
  client(endpoint: string, operation: Lwm2mOperation, step: string): Lwm2mClientInfo {
    try {
      return liveClient(this.downlink, endpoint);
    } catch (error) {
      this.metrics.record(operation, 'not-registered');
      throw new DeviceStepError(operation, 'not-registered', step, (error as Error).message);
    }
  }

  async exchange(endpoint: string, operation: Lwm2mOperation, request: CoapRequestSpec, ctx: DeviceCallContext): Promise<Exchange> {
    const step = describeStep(operation, request.path);
    this.client(endpoint, operation, step);
    const limits = { deadline: ctx.deadline, signal: ctx.signal };
    let started: number | undefined;
    try {
      return await this.queues.run(
        endpoint,
        async () => {
          const client = liveClient(this.downlink, endpoint);
          started = performance.now();
          const result = await this.downlink.send(client, request, limits).catch(unreachable);
          this.metrics.record(operation, result.code, (performance.now() - started) / 1000);
          return { ...result, client };
        },
        limits,
      );
    } catch (error) {
      const code = transportCode(error, ctx);
      if (code === undefined) throw error;
      this.metrics.record(operation, code, started === undefined ? undefined : (performance.now() - started) / 1000);
      throw new DeviceStepError(operation, code, step, (error as Error)?.message);
    }
  }
}

import type { DeviceCallContext, TransportOutcome } from '../../core/device-adapter.js';
import type { Lwm2mOperation } from '../../mappings/types.js';
import { CoapTimeoutError, type CoapRequestSpec, type CoapResult, type DownlinkObservation, type Lwm2mClientInfo, type Lwm2mDownlink } from '../downlink.js';
import type { DownlinkMetrics } from './downlink-metrics.js';
import type { EndpointQueues, QueueLimits } from './endpoint-queue.js';
import { DeviceSleepingError, DeviceStepError, NotRegisteredError } from './errors.js';

export interface Exchange extends CoapResult {
  /** The registration the request went to (looked up when it left the queue). */
  client: Lwm2mClientInfo;
  /**
   * The same Map in every caller's copy of one shared read's answer: what each caller would work out alike from the
   * same bytes (its decoded values) is kept here by the first and taken by the others. Absent on an answer of one caller.
   */
  sharedWork?: Map<string, unknown>;
}

export interface ObserveExchange extends Exchange {
  /** Set when the device accepted the observation. */
  observation?: DownlinkObservation;
}

/** How the device operations reach a device: the endpoint's queue, or one slot of it already held. */
export interface DeviceExchanges {
  /** The endpoint's registration, or DeviceStepError(`not-registered`). */
  client(endpoint: string, operation: Lwm2mOperation, step: string): Lwm2mClientInfo;
  /** One request; answers any CoAP code, throws DeviceStepError for transport outcomes. */
  exchange(endpoint: string, operation: Lwm2mOperation, request: CoapRequestSpec, ctx: DeviceCallContext): Promise<Exchange>;
  /** GET with Observe=0 (operation `observe`); notifications go to `onNotification`. Answers and throws like `exchange`. */
  observe(endpoint: string, request: CoapRequestSpec, ctx: DeviceCallContext, onNotification: (notification: CoapResult) => void): Promise<ObserveExchange>;
  /** Runs `work` in one slot of the endpoint's queue: its exchanges go out one after another, no other request between them. */
  inSlot<T>(endpoint: string, operation: Lwm2mOperation, step: string, ctx: DeviceCallContext, work: (slot: DeviceExchanges) => Promise<T>): Promise<T>;
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
function transportCode(error: unknown, ctx: DeviceCallContext): TransportOutcome | undefined {
  if (error instanceof NotRegisteredError) return 'not-registered';
  if (error instanceof DeviceSleepingError) return 'sleeping';
  if (error instanceof CoapTimeoutError || ctx.signal.aborted) return 'timeout';
  return undefined;
}

function registeredClient(downlink: Lwm2mDownlink, metrics: DownlinkMetrics, endpoint: string, operation: Lwm2mOperation, step: string): Lwm2mClientInfo {
  try {
    return liveClient(downlink, endpoint);
  } catch (error) {
    metrics.record(operation, 'not-registered');
    throw new DeviceStepError(operation, 'not-registered', step, (error as Error).message, 'unsent');
  }
}

/** Why a step held back for lack of time was never sent, or undefined while there is time. */
function tooLate(ctx: DeviceCallContext): string | undefined {
  if (ctx.signal.aborted) return 'the request was cancelled before this step was sent';
  if (ctx.deadline <= Date.now()) return "the request's deadline passed before this step was sent (its earlier steps used the time)";
  return undefined;
}

/**
 * The key under which identical reads share one exchange (same operation, path, query and accepted format), or
 * undefined for anything that must go out on its own: writes, executes, observations, a request with its own token.
 */
function sharedReadKey(operation: Lwm2mOperation, request: CoapRequestSpec): string | undefined {
  if (operation !== 'read' && operation !== 'discover') return undefined;
  if (request.method !== 'GET' || request.observe !== undefined || request.token || request.payload || request.contentFormat !== undefined) return undefined;
  return `${operation} /${request.path.join('/')}?${request.query?.join('&') ?? ''} accept=${request.accept ?? ''}`;
}

/** A caller's own copy of a shared answer: nothing one caller does to it reaches another (but `sharedWork`). */
function copyOfExchange(exchange: Exchange): Exchange {
  exchange.sharedWork ??= new Map();
  return {
    ...exchange,
    payload: Buffer.from(exchange.payload),
    ...(exchange.locationPath ? { locationPath: [...exchange.locationPath] } : {}),
    client: { ...exchange.client },
  };
}

/** A held slot of an endpoint's queue: requests go straight to the device. */
class HeldSlot implements DeviceExchanges {
  constructor(
    private readonly downlink: Lwm2mDownlink,
    private readonly metrics: DownlinkMetrics,
  ) {}

  client(endpoint: string, operation: Lwm2mOperation, step: string): Lwm2mClientInfo {
    return registeredClient(this.downlink, this.metrics, endpoint, operation, step);
  }

  exchange(endpoint: string, operation: Lwm2mOperation, request: CoapRequestSpec, ctx: DeviceCallContext): Promise<Exchange> {
    return this.attempt(endpoint, operation, request, ctx, (client) => this.downlink.send(client, request, { deadline: ctx.deadline, signal: ctx.signal }));
  }

  observe(endpoint: string, request: CoapRequestSpec, ctx: DeviceCallContext, onNotification: (notification: CoapResult) => void): Promise<ObserveExchange> {
    return this.attempt(endpoint, 'observe', request, ctx, (client) => this.downlink.observe(client, request, { deadline: ctx.deadline, signal: ctx.signal }, onNotification));
  }

  /** One request by `send`, with the checks before it and the metrics and transport outcomes after it. */
  private async attempt<R extends CoapResult>(
    endpoint: string,
    operation: Lwm2mOperation,
    request: CoapRequestSpec,
    ctx: DeviceCallContext,
    send: (client: Lwm2mClientInfo) => Promise<R>,
  ): Promise<R & { client: Lwm2mClientInfo }> {
    const step = describeStep(operation, request.path);
    const client = this.client(endpoint, operation, step);
    const late = tooLate(ctx);
    if (late) {
      this.metrics.record(operation, 'timeout');
      throw new DeviceStepError(operation, 'timeout', step, late, 'unsent');
    }
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await send(client).catch(unreachable);
      this.metrics.record(operation, result.code, seconds());
      return { ...result, client };
    } catch (error) {
      const code = transportCode(error, ctx);
      if (code === undefined) throw error;
      this.metrics.record(operation, code, seconds());
      throw new DeviceStepError(operation, code, step, (error as Error)?.message, 'unanswered');
    }
  }

  inSlot<T>(_endpoint: string, _operation: Lwm2mOperation, _step: string, _ctx: DeviceCallContext, work: (slot: DeviceExchanges) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/** Sends requests to a device through its endpoint queue, one at a time. */
export class DeviceChannel implements DeviceExchanges {
  /** Calls whose first command already left the queue (reported `sent` once). */
  private readonly sent = new WeakSet<DeviceCallContext>();

  constructor(
    private readonly downlink: Lwm2mDownlink,
    private readonly queues: EndpointQueues,
    private readonly metrics: DownlinkMetrics,
  ) {}

  client(endpoint: string, operation: Lwm2mOperation, step: string): Lwm2mClientInfo {
    return registeredClient(this.downlink, this.metrics, endpoint, operation, step);
  }

  exchange(endpoint: string, operation: Lwm2mOperation, request: CoapRequestSpec, ctx: DeviceCallContext): Promise<Exchange> {
    const key = sharedReadKey(operation, request);
    if (key !== undefined) return this.sharedRead(endpoint, operation, request, ctx, key);
    return this.inSlot(endpoint, operation, describeStep(operation, request.path), ctx, (slot) => slot.exchange(endpoint, operation, request, ctx));
  }

  observe(endpoint: string, request: CoapRequestSpec, ctx: DeviceCallContext, onNotification: (notification: CoapResult) => void): Promise<ObserveExchange> {
    return this.inSlot(endpoint, 'observe', describeStep('observe', request.path), ctx, (slot) => slot.observe(endpoint, request, ctx, onNotification));
  }

  async inSlot<T>(endpoint: string, operation: Lwm2mOperation, step: string, ctx: DeviceCallContext, work: (slot: DeviceExchanges) => Promise<T>): Promise<T> {
    this.client(endpoint, operation, step);
    let started = false;
    try {
      return await this.queues.run(
        endpoint,
        () => {
          started = true;
          this.reportSent(ctx);
          return work(new HeldSlot(this.downlink, this.metrics));
        },
        { deadline: ctx.deadline, signal: ctx.signal },
      );
    } catch (error) {
      // the slot reports its own steps; what remains is leaving the queue unserved (expired, cancelled, de-registered)
      const code = started ? undefined : transportCode(error, ctx);
      if (code === undefined) throw error;
      this.metrics.record(operation, code);
      throw new DeviceStepError(operation, code, step, (error as Error)?.message, 'unsent');
    }
  }

  /** A read that identical reads queued behind it may join (one CoAP exchange, each caller its own copy of the answer). */
  private async sharedRead(endpoint: string, operation: Lwm2mOperation, request: CoapRequestSpec, ctx: DeviceCallContext, key: string): Promise<Exchange> {
    const step = describeStep(operation, request.path);
    this.client(endpoint, operation, step);
    let started = false;
    const send = (limits: QueueLimits) => {
      const sendCtx = limits.signal === ctx.signal && limits.deadline === ctx.deadline ? ctx : { ...ctx, deadline: limits.deadline, signal: limits.signal };
      return new HeldSlot(this.downlink, this.metrics).exchange(endpoint, operation, request, sendCtx);
    };
    const hooks = {
      started: () => {
        started = true;
        this.reportSent(ctx);
      },
      copy: copyOfExchange,
      joined: () => this.metrics.joined(operation),
    };
    try {
      return await this.queues.share(endpoint, key, send, { deadline: ctx.deadline, signal: ctx.signal }, hooks);
    } catch (error) {
      if (error instanceof DeviceStepError) throw error;
      const code = transportCode(error, ctx);
      if (code === undefined) throw error;
      // a caller leaving a shared read in flight sent nothing of its own: the exchange is counted once, by whoever sent it
      if (!started) this.metrics.record(operation, code);
      throw new DeviceStepError(operation, code, step, (error as Error)?.message, started ? 'unanswered' : 'unsent');
    }
  }

  /** From the first command on, the call can no longer be withdrawn unsent. */
  private reportSent(ctx: DeviceCallContext): void {
    if (this.sent.has(ctx)) return;
    this.sent.add(ctx);
    ctx.progress({ state: 'sent' });
  }
}

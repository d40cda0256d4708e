import { randomBytes } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AdapterRegistry, DeviceReport, MgmtObjRef } from '../../core/device-adapter.js';
import { spRelativeCseId, type ProxyConfig } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { setTimeoutAt, type LongTimer } from '../../core/long-timer.js';
import { errorResponse, Operation, type RequestPrimitive, type ResponsePrimitive } from '../../core/primitives.js';
import { RSC } from '../../core/rsc.js';
import type { MappingService } from '../../mappings/types.js';
import { UNFINISHED_STATES, type PendingNotification, type PendingOperation, type PendingOperationStore, type PendingState } from '../../store/pending-operation-store.js';
import { storeDeviceValues } from '../resources/device-nodes.js';
import { isFinalSuccess, outcomeOf } from '../resources/operations/device-outcome.js';
import { RCN, wrap } from '../resources/operations/result-content.js';
import type { ResourceTree } from '../resources/resource-tree.js';
import { oneM2MTimestamp } from '../resources/onem2m-time.js';
import type { DeviceWork } from './device-work.js';
import { LiveOperation, type OperationHost } from './live-operation.js';
import { storedRequest, type OperationPlan } from './operation-plan.js';
import { newRequestResource, operationResult, REQUEST_STATUS, requestStatusOf } from './request-resource.js';

/** Sends the final response of an rt=2 request to its notification targets (src/onem2m/notifications). */
export interface ResultSender {
  deliver(rsp: Record<string, unknown>, state: PendingNotification, saved: (state: PendingNotification) => Promise<void>): Promise<void>;
  close(): void;
}

export interface PendingOperationsDeps {
  store: PendingOperationStore;
  tree: ResourceTree;
  adapters: AdapterRegistry;
  mappings: Pick<MappingService, 'current'>;
  config: ProxyConfig;
  logger: Logger;
  metrics: Registry;
  sender: ResultSender;
}

/** Runs a request's handler with the given device work (the dispatcher's operations). */
export type RequestRunner = (work: DeviceWork, req: RequestPrimitive) => Promise<ResponsePrimitive>;

/** When removing expired operations failed, the next try. */
const SWEEP_RETRY_MS = 60_000;

const RESPONSE_TYPE = { nonBlockingSynch: 1, nonBlockingAsynch: 2, blocking: 3, flexBlocking: 4 } as const;

function operationName(op: Operation): string {
  return Operation[op]?.toLowerCase() ?? String(op);
}

/** Random per process, so ids stay unique across restarts; a counter after it keeps the per-request cost to a string. */
const ID_PREFIX = `op${randomBytes(6).toString('hex')}-`;
let idCounter = 0;

function newOperationId(): string {
  return `${ID_PREFIX}${(++idCounter).toString(36)}`;
}

/**
 * The core's pending operations: every request's device work runs as a LiveOperation. Blocking requests stay in memory
 * unless a device accepts work that completes later; non-blocking ones (rt=1, 2, and 4 once it stops blocking) get a
 * `<request>` resource and a stored record, are resumed after a restart, and end with the `<request>` completed and,
 * for rt=2, the result notified.
 */
export class PendingOperations implements OperationHost {
  private readonly live = new Map<string, LiveOperation>();
  private closing = false;
  private sweepTimer?: LongTimer;
  private sweepAt = Infinity;
  private sweeping: Promise<void> = Promise.resolve();
  private readonly finals: Counter<'state'>;
  readonly progressTimeoutMs: number;
  private runner?: RequestRunner;

  constructor(private readonly deps: PendingOperationsDeps) {
    this.progressTimeoutMs = deps.config.progressTimeoutS * 1000;
    this.finals = new Counter({
      name: 'onem2m_pending_operations_total',
      help: 'Pending device operations (durable ones: non-blocking requests and accepted long work) by final state',
      labelNames: ['state'],
      registers: [deps.metrics],
    });
    const live = this.live;
    new Gauge({
      name: 'onem2m_pending_operations',
      help: 'Durable operations the proxy holds now (queued, sent or accepted)',
      registers: [deps.metrics],
      collect() {
        this.set(live.size);
      },
    });
  }

  /** The handler every request runs (set once by the dispatcher). */
  setRunner(runner: RequestRunner): void {
    this.runner = runner;
  }

  /** Answers a request by its response type: blocking (rt=3, the default), non-blocking (1, 2) or flexBlocking (4). */
  async handle(req: RequestPrimitive): Promise<ResponsePrimitive> {
    const rtv = req.rt?.rtv ?? RESPONSE_TYPE.blocking;
    if (rtv === RESPONSE_TYPE.blocking) return this.blocking(req);
    const deadline = req.rqet === undefined ? Date.now() + this.deps.config.requestExpirationS * 1000 : req.deadline;
    return this.nonBlocking({ ...req, deadline }, rtv);
  }

  private run(op: LiveOperation, req: RequestPrimitive): Promise<ResponsePrimitive> {
    if (!this.runner) throw new Error('pending operations: no request runner set');
    // device work takes its signal and deadline from `op`, not from the request
    return this.runner(op, { ...req, deadline: op.record.deadline });
  }

  private newOperation(req: RequestPrimitive, answerAtAccepted: boolean, client?: AbortSignal): LiveOperation {
    const now = Date.now();
    const record: PendingOperation = {
      id: newOperationId(),
      originator: req.fr,
      target: req.to,
      operation: operationName(req.op),
      plan: { request: storedRequest(req) } satisfies OperationPlan,
      deadline: req.deadline,
      state: 'queued',
      // a Result Expiration Timestamp is about the result of a non-blocking request; it never ends a blocking one's work
      keepUntil: pendingKeepUntil({ deadline: req.deadline, resultExpiresAt: answerAtAccepted ? undefined : req.resultExpiresAt }, this.persistenceMs(req)),
      createdAt: now,
    };
    return new LiveOperation(record, this, answerAtAccepted, false, client);
  }

  private async blocking(req: RequestPrimitive): Promise<ResponsePrimitive> {
    const op = this.newOperation(req, true, req.signal);
    try {
      return await op.runHandler(() => this.run(op, req));
    } finally {
      this.afterAnswer(op);
    }
  }

  /** The client has its answer: the work either goes on (accepted, durable) or is over. */
  private afterAnswer(op: LiveOperation): void {
    if (op.hasBackgroundWork) {
      op.releaseClient();
      return;
    }
    op.end();
    if (op.durable) void this.discard(op);
  }

  private async nonBlocking(req: RequestPrimitive, rtv: number): Promise<ResponsePrimitive> {
    const flex = rtv === RESPONSE_TYPE.flexBlocking;
    const op = this.newOperation(req, false, flex ? req.signal : undefined);
    let handled: Promise<ResponsePrimitive>;
    if (flex) {
      handled = op.runHandler(() => this.run(op, req));
      const quick = await this.within(handled, this.deps.config.flexBlockingWaitMs);
      if (quick) {
        this.afterAnswer(op);
        return quick.response;
      }
      op.releaseClient();
    }
    const notify = rtv === RESPONSE_TYPE.nonBlockingAsynch || (flex && req.rt?.nu !== undefined);
    op.plan.notify = notify;
    const requestResource = newRequestResource(this.deps.tree, req, op.record.keepUntil);
    try {
      await op.makeDurable({ requestRi: requestResource.ri });
      await this.deps.tree.commit([requestResource]);
    } catch (error) {
      // no <request> to answer with: the work (already running for rt=4) ends here
      op.lifetime.end('withdrawn');
      op.end();
      await this.discard(op);
      throw error;
    }
    this.scheduleSweep(op.record.keepUntil);
    if (!flex) handled = op.runHandler(() => this.run(op, req));
    this.follow(op, handled!);
    return {
      rsc: notify ? RSC.ACCEPTED_NON_BLOCKING_ASYNC : RSC.ACCEPTED_NON_BLOCKING_SYNC,
      rqi: req.rqi,
      pc: { 'm2m:uri': requestResource.ri },
    };
  }

  private within(handled: Promise<ResponsePrimitive>, waitMs: number): Promise<{ response: ResponsePrimitive } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    return Promise.race([handled.then((response) => ({ response })), timeout]).finally(() => clearTimeout(timer));
  }

  /** The handler's response ends a non-blocking operation, unless work goes on in the background. */
  private follow(op: LiveOperation, handled: Promise<ResponsePrimitive>): void {
    void handled.then(
      (response) => (op.hasBackgroundWork ? undefined : this.complete(op, response)),
      (error: unknown) => {
        this.onError(error, 'running a non-blocking request');
        return this.complete(op, errorResponse(RSC.INTERNAL_SERVER_ERROR, op.plan.request.rqi, 'internal error'));
      },
    ).catch((error: unknown) => this.onError(error, 'recording the result of an operation'));
  }

  /** Records the final response: the `<request>` completes, the record keeps the result (or goes, without a `<request>`), targets are notified. */
  private async complete(op: LiveOperation, response: ResponsePrimitive): Promise<void> {
    const reason = op.endReason;
    if (this.closing || reason === 'shutdown' || !op.end()) return;
    this.live.delete(op.record.id);
    const state = finalState(response, reason);
    this.finals.inc({ state });
    if (!op.record.requestRi) {
      if (op.durable) await this.discard(op);
      return;
    }
    const { request, notify } = op.plan;
    const result = operationResult(response, op.record.originator, this.cseId, request.rvi);
    // without a Result Expiration Timestamp, the result persists from now on
    const keepUntil = request.resultExpiresAt ?? Date.now() + this.persistenceMs(request);
    const targets = notify ? request.rt?.nu ?? [] : [];
    const notification = targets.length > 0 ? { targets: [...targets], attempts: 0, nextAttemptAt: Date.now() } : undefined;
    // the <request> first: after a crash in between, the start finds it final and finishes the record from it (resumeOne)
    await this.changeRequestResource(op.record.requestRi, { rs: requestStatusOf(response.rsc), ors: result, et: oneM2MTimestamp(new Date(keepUntil)) });
    await op.setState(state, { response: result, notification, keepUntil });
    this.scheduleSweep(keepUntil);
    if (notification) this.deliver(op.record);
  }

  /** How long a result stays retrievable after it completes: `rp`, else REQUEST_EXPIRATION_S. */
  private persistenceMs(req: Pick<RequestPrimitive, 'resultPersistenceMs'>): number {
    return req.resultPersistenceMs ?? this.deps.config.requestExpirationS * 1000;
  }

  private get cseId(): string {
    return spRelativeCseId(this.deps.config.cseId);
  }

  private async changeRequestResource(ri: string, changes: Record<string, unknown>): Promise<void> {
    const { tree } = this.deps;
    await tree.retrying(async () => {
      const current = await tree.get(ri);
      if (!current) return;
      await tree.commit([tree.withChanges(current, changes)], [], [{ unchanged: current }]);
    });
  }

  private deliver(record: PendingOperation): void {
    const state = record.notification;
    if (!state) return;
    const saved = async (next: PendingNotification): Promise<void> => {
      record.notification = next.targets.length > 0 ? next : undefined;
      // a record removed meanwhile (its <request> deleted or expired) is not stored again
      if (await this.deps.store.get(record.id)) await this.deps.store.put(record);
    };
    void this.deps.sender.deliver(record.response as Record<string, unknown>, state, saved).catch((error: unknown) => this.onError(error, 'delivering a result notification'));
  }

  /** Removes the operation's record for good: after the saves already queued, and none after. */
  private async discard(op: LiveOperation): Promise<void> {
    this.live.delete(op.record.id);
    await op.discard();
    await this.deps.store.delete(op.record.id).catch((error: unknown) => this.onError(error, 'removing a pending operation'));
  }

  /** Deleting a `<request>`: its commands not yet sent are withdrawn, its record goes. */
  async withdraw(requestRi: string): Promise<void> {
    for (const op of [...this.live.values()]) {
      if (op.record.requestRi !== requestRi) continue;
      op.lifetime.end('withdrawn');
      op.end();
      op.record.state = 'withdrawn';
      this.finals.inc({ state: 'withdrawn' });
      await this.discard(op);
    }
    const record = await this.deps.store.byRequest(requestRi);
    if (record) await this.deps.store.delete(record.id);
  }

  // OperationHost

  async save(op: LiveOperation): Promise<void> {
    if (this.closing || op.isDiscarded) return;
    if (!op.isEnded) {
      this.live.set(op.record.id, op);
      this.scheduleSweep(op.record.keepUntil);
    }
    await this.deps.store.put(op.record);
  }

  async storeProgress(mgmtObjRi: string, report: DeviceReport): Promise<void> {
    const { tree } = this.deps;
    const mgmtObj = await tree.get(mgmtObjRi);
    if (!mgmtObj || !report.attributes) return;
    await storeDeviceValues(tree, mgmtObj, outcomeOf(this.deps.mappings.current(), report).attributes);
  }

  async finishLate(op: LiveOperation, obj: MgmtObjRef, report: DeviceReport): Promise<void> {
    if (this.closing || op.isEnded) return;
    const { tree } = this.deps;
    const outcome = outcomeOf(this.deps.mappings.current(), report);
    const { rqi, rcn } = op.plan.request;
    let mgmtObj = await tree.get(obj.ri);
    if (mgmtObj && outcome.final) mgmtObj = await storeDeviceValues(tree, mgmtObj, outcome.attributes);
    const response: ResponsePrimitive = !isFinalSuccess(outcome)
      ? errorResponse(outcome.rsc, rqi, outcome.dbg)
      : { rsc: outcome.rsc, rqi, pc: mgmtObj && rcn !== RCN.nothing ? wrap(tree, mgmtObj, mgmtObj.attrs) : undefined };
    await this.complete(op, response);
  }

  async failLate(op: LiveOperation, error: unknown): Promise<void> {
    this.onError(error, `device work of operation ${op.record.id}`);
    await this.complete(op, errorResponse(RSC.INTERNAL_SERVER_ERROR, op.plan.request.rqi, 'internal error while the device work went on'));
  }

  keepUntil(op: LiveOperation, deadline: number): number {
    const { request } = op.plan;
    // a Result Expiration Timestamp is about the result of a non-blocking request; it never ends a blocking one's work
    const resultExpiresAt = op.record.requestRi ? request.resultExpiresAt : undefined;
    return pendingKeepUntil({ resultExpiresAt, deadline }, this.persistenceMs(request));
  }

  async expirationMoved(op: LiveOperation): Promise<void> {
    const { requestRi, keepUntil } = op.record;
    if (requestRi) await this.changeRequestResource(requestRi, { et: oneM2MTimestamp(new Date(keepUntil)) });
  }

  onError(error: unknown, what: string): void {
    this.deps.logger.error({ err: error }, `pending operations: ${what} failed`);
  }

  // restart and expiry

  /** After a restart: every stored operation carries on where it was (call once, after the adapters are registered). */
  async resumeAll(): Promise<void> {
    for (const record of await this.deps.store.unfinished()) {
      try {
        await this.resumeOne(record);
      } catch (error) {
        this.onError(error, `resuming operation ${record.id}`);
      }
    }
    await this.sweep();
  }

  private async resumeOne(record: PendingOperation): Promise<void> {
    const { store, tree } = this.deps;
    const requestResource = record.requestRi ? await tree.get(record.requestRi) : undefined;
    if (record.requestRi && !requestResource) {
      await store.delete(record.id);
      return;
    }
    if (requestResource && requestResource.attrs.rs !== REQUEST_STATUS.PENDING && UNFINISHED_STATES.includes(record.state)) {
      // completed just before the proxy stopped: its record is finished from what the <request> holds
      await this.adoptResult(record, requestResource.attrs.ors as Record<string, unknown>);
    }
    if (record.state === 'completed' || record.state === 'failed' || record.state === 'expired' || record.state === 'withdrawn') {
      this.deliver(record);
      return;
    }
    const op = new LiveOperation(record, this, false, true);
    this.live.set(record.id, op);
    const plan = op.plan;
    const req = { ...plan.request, signal: new AbortController().signal };
    if (record.state === 'queued') {
      this.follow(op, op.runHandler(() => this.run(op, req)));
    } else if (record.state === 'sent') {
      const device = plan.device;
      const report: DeviceReport = {
        technology: device?.protocol ?? 'lwm2m',
        operation: record.operation as 'create' | 'retrieve' | 'update' | 'delete',
        code: 'timeout',
        detail: '(the proxy restarted after sending a command to the device and before its answer: whether the device carried it out is unknown)',
      };
      const outcome = outcomeOf(this.deps.mappings.current(), report);
      await this.complete(op, errorResponse(outcome.rsc, plan.request.rqi, outcome.dbg));
    } else {
      const accepted = plan.accepted!;
      const adapter = this.deps.adapters.get(accepted.device.protocol);
      if (!adapter) {
        const outcome = outcomeOf(this.deps.mappings.current(), { technology: accepted.device.protocol, operation: 'update', code: 'not-registered', detail: `(no ${accepted.device.protocol} adapter runs after the restart)` });
        await this.complete(op, errorResponse(outcome.rsc, plan.request.rqi, outcome.dbg));
        return;
      }
      op.resume((ctx) => adapter.resume(accepted.device, accepted.obj, accepted.resume, ctx));
    }
  }

  private async adoptResult(record: PendingOperation, result: Record<string, unknown>): Promise<void> {
    const { request, notify } = record.plan as OperationPlan;
    const targets = notify ? request.rt?.nu ?? [] : [];
    record.state = requestStatusOf(Number(result.rsc)) === REQUEST_STATUS.COMPLETED ? 'completed' : 'failed';
    record.response = result;
    record.notification = targets.length > 0 ? { targets: [...targets], attempts: 0, nextAttemptAt: Date.now() } : undefined;
    await this.deps.store.put(record);
  }

  private scheduleSweep(at: number): void {
    if (this.closing || at >= this.sweepAt) return;
    this.sweepAt = at;
    this.sweepTimer?.clear();
    this.sweepTimer = setTimeoutAt(at, () => void this.sweep().catch((error: unknown) => this.onError(error, 'removing expired requests')));
  }

  /** Removes operations and `<request>`s past their keepUntil; work still going on for them is withdrawn. */
  private sweep(): Promise<void> {
    this.sweeping = this.sweeping.then(() => this.sweepOnce());
    return this.sweeping;
  }

  /** One pass; a record that cannot be removed is logged and the next pass is still scheduled. */
  private async sweepOnce(): Promise<void> {
    this.sweepAt = Infinity;
    const { store, tree } = this.deps;
    try {
      for (const record of await store.expiringBy(Date.now())) {
        try {
          const op = this.live.get(record.id);
          if (op) {
            op.lifetime.end('withdrawn');
            op.end();
            await this.discard(op);
          }
          const resource = record.requestRi ? await tree.get(record.requestRi) : undefined;
          if (resource) await tree.delete(resource);
          await store.delete(record.id);
        } catch (error) {
          this.onError(error, `removing expired operation ${record.id}`);
        }
      }
    } finally {
      const next = await store.nextExpiry().catch(() => Date.now() + SWEEP_RETRY_MS);
      if (next !== undefined) this.scheduleSweep(Math.max(next, Date.now() + 1));
    }
  }

  /** Stops without finishing anything: what is stored carries on at the next start. */
  async close(): Promise<void> {
    this.closing = true;
    this.sweepTimer?.clear();
    this.deps.sender.close();
    for (const op of this.live.values()) op.lifetime.end('shutdown');
    this.live.clear();
  }
}

/** While unfinished, an operation and its `<request>` are kept until X-M2M-RST, else its deadline + the persistence. */
function pendingKeepUntil(req: Pick<RequestPrimitive, 'resultExpiresAt' | 'deadline'>, persistenceMs: number): number {
  return req.resultExpiresAt ?? req.deadline + persistenceMs;
}

function finalState(response: ResponsePrimitive, reason: string | undefined): PendingState {
  if (reason === 'withdrawn') return 'withdrawn';
  if (requestStatusOf(response.rsc) === REQUEST_STATUS.COMPLETED) return 'completed';
  return reason === 'deadline' ? 'expired' : 'failed';
}

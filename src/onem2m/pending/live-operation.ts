import type { DeviceCallContext, DeviceCallProgress, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation } from '../../core/device-adapter.js';
import type { PendingOperation, PendingState } from '../../store/pending-operation-store.js';
import type { DeviceWork } from './device-work.js';
import type { OperationPlan } from './operation-plan.js';
import { OperationLifetime } from './operation-lifetime.js';
import type { EndReason } from '../../core/operation-end.js';

/** What a live operation needs from the service that holds it. */
export interface OperationHost {
  /** Persists the record (only called for durable operations, in order). */
  save(operation: LiveOperation): Promise<void>;
  /** Stores a progress report's attributes on the mgmtObj. */
  storeProgress(mgmtObjRi: string, report: DeviceReport): Promise<void>;
  /** The final report of a call that went on after its request was answered (or was resumed): ends the operation. */
  finishLate(operation: LiveOperation, obj: MgmtObjRef, report: DeviceReport): Promise<void>;
  /** The adapter threw instead of reporting: the operation fails with an internal error. */
  failLate(operation: LiveOperation, error: unknown): Promise<void>;
  /** Epoch ms until which an unfinished operation with this deadline (and its `<request>`) is kept. */
  keepUntil(operation: LiveOperation, deadline: number): number;
  /** The operation's keepUntil moved: its `<request>` expires with it. */
  expirationMoved(operation: LiveOperation): Promise<void>;
  readonly progressTimeoutMs: number;
  onError(error: unknown, what: string): void;
}

/**
 * How long past the end of its operation the core waits for an adapter call. Adapters own the deadline and report
 * expiry in their own terms (timeout, sleeping...); this only catches an adapter that breaks that contract.
 */
const ADAPTER_GRACE_MS = 500;

function expiredReport(device: DeviceRef, operation: OneM2MOperation): DeviceReport {
  return { technology: device.protocol, operation, code: 'expired', detail: '(the device did not answer before the request expired)' };
}

/** The adapter's result, or `expired()` when it has none shortly after the signal aborted. */
function untilEnded<T>(call: Promise<T>, signal: AbortSignal, expired: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onEnd = () => {
      timer = setTimeout(() => resolve(expired()), ADAPTER_GRACE_MS);
    };
    const settled = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onEnd);
    };
    if (signal.aborted) onEnd();
    else signal.addEventListener('abort', onEnd, { once: true });
    call.then(
      (value) => {
        settled();
        resolve(value);
      },
      (error: unknown) => {
        settled();
        reject(error);
      },
    );
  });
}

/**
 * One request's device work while the proxy holds it: its record (persisted once durable), its lifetime (the signal
 * every adapter call gets), and the progress adapters report. Blocking requests become durable only when a device
 * accepts work that completes later; non-blocking ones are durable from the start.
 */
export class LiveOperation implements DeviceWork {
  private lifetimeOf?: OperationLifetime;
  private handlerSettled: Promise<unknown> = Promise.resolve();
  /** Progress stores and late completion, one after another (for a blocking request, after its handler). */
  private chain: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private backgroundCalls = 0;
  private ended = false;
  private discarded = false;

  constructor(
    readonly record: PendingOperation,
    private readonly host: OperationHost,
    /** Blocking requests are answered at the first `accepted` report. */
    private readonly answerAtAccepted: boolean,
    public durable: boolean,
    /** The client of a blocking request: its going away ends the work, until released. */
    private client?: AbortSignal,
  ) {}

  get plan(): OperationPlan {
    return this.record.plan as OperationPlan;
  }

  /** Created on first use: a request that never reaches a device costs no timer. */
  get lifetime(): OperationLifetime {
    if (!this.lifetimeOf) {
      this.lifetimeOf = new OperationLifetime(this.record.deadline);
      if (this.client) this.lifetimeOf.attachClient(this.client);
    }
    return this.lifetimeOf;
  }

  /** The client no longer matters (it has its answer, or the request became non-blocking). */
  releaseClient(): void {
    this.client = undefined;
    this.lifetimeOf?.releaseClient();
  }

  /** Why the operation's signal aborted, if it did. */
  get endReason(): EndReason | undefined {
    return this.lifetimeOf?.endReason;
  }

  /** True once the operation reached a final state (or was discarded). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Whether a call goes on after its request was answered. */
  get hasBackgroundWork(): boolean {
    return this.backgroundCalls > 0;
  }

  /** Runs the request's handler; progress and late results wait until it settled. */
  runHandler<T>(handler: () => Promise<T>): Promise<T> {
    const running = handler();
    this.handlerSettled = running.catch(() => undefined);
    return running;
  }

  call(device: DeviceRef, obj: MgmtObjRef, operation: OneM2MOperation, invoke: (ctx: DeviceCallContext) => Promise<DeviceReport>): Promise<DeviceReport> {
    const expired = () => expiredReport(device, operation);
    if (!this.answerAtAccepted) {
      const final = this.guarded(invoke(this.callContext(device, obj, () => {})), expired);
      // the handler stores the final values: progress stored before must not land after them
      return final.then((report) => this.chain.then(() => report));
    }
    // answered by whichever comes first: the final report, or the first `accepted` one (the work then goes on)
    return new Promise<DeviceReport>((resolve, reject) => {
      let answered = false;
      let final: Promise<DeviceReport> | undefined;
      const onAccepted = (report: DeviceReport) => {
        if (answered) return;
        answered = true;
        this.backgroundCalls++;
        resolve(report);
        queueMicrotask(() => this.finishInBackground(final!, obj, 'late result'));
      };
      final = this.guarded(invoke(this.callContext(device, obj, onAccepted)), expired);
      final.then(
        (report) => {
          if (answered) return;
          answered = true;
          resolve(report);
        },
        (error: unknown) => {
          if (answered) return;
          answered = true;
          reject(error);
        },
      );
    });
  }

  callAll(device: DeviceRef, invoke: (ctx: DeviceCallContext) => Promise<DeviceReport[]>): Promise<DeviceReport[]> {
    return this.guarded(invoke(this.callContext(device, undefined, () => {})), () => [expiredReport(device, 'retrieve')]);
  }

  /** Carries on an accepted call after a restart; its final report ends the operation. */
  resume(invoke: (ctx: DeviceCallContext) => Promise<DeviceReport>): void {
    const accepted = this.plan.accepted;
    if (!accepted) throw new Error(`operation ${this.record.id} was not accepted: nothing to resume`);
    this.backgroundCalls++;
    const final = this.guarded(invoke(this.callContext(accepted.device, accepted.obj, () => {})), () => expiredReport(accepted.device, 'update'));
    this.finishInBackground(final, accepted.obj, 'resumed result');
  }

  /** The final report of a call that goes on after the answer ends the operation; an adapter that throws fails it. */
  private finishInBackground(final: Promise<DeviceReport>, obj: MgmtObjRef, what: string): void {
    void final.then(
      (report) => this.enqueue(() => this.host.finishLate(this, obj, report), what),
      (error: unknown) => this.enqueue(() => this.host.failLate(this, error), what),
    );
  }

  /** Records the state and persists it when durable (in order). */
  setState(state: PendingState, changes: Partial<PendingOperation> = {}): Promise<void> {
    Object.assign(this.record, changes, { state });
    return this.save();
  }

  /** From now on the record survives a restart. */
  makeDurable(changes: Partial<PendingOperation>): Promise<void> {
    Object.assign(this.record, changes);
    this.durable = true;
    return this.save();
  }

  save(): Promise<void> {
    if (!this.durable) return this.saving;
    this.saving = this.saving.then(() => this.host.save(this)).catch((error: unknown) => this.host.onError(error, 'saving a pending operation'));
    return this.saving;
  }

  /** True once its record is removed for good: nothing of it is stored again. */
  get isDiscarded(): boolean {
    return this.discarded;
  }

  /** No save after this one; resolves when the saves already queued are done (the record can then be deleted). */
  discard(): Promise<void> {
    this.discarded = true;
    return this.saving;
  }

  /** Marks the operation ended (its final state is being recorded, or it was discarded); false when it already was. */
  end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.lifetimeOf?.dispose();
    return true;
  }

  private callContext(device: DeviceRef, obj: MgmtObjRef | undefined, onAccepted: (report: DeviceReport) => void): DeviceCallContext {
    const lifetime = this.lifetime;
    const { rqi, fr } = this.plan.request;
    return {
      requestId: rqi,
      originator: fr,
      get deadline() {
        return lifetime.deadline;
      },
      signal: lifetime.signal,
      progress: (update) => {
        try {
          this.progress(update, device, obj, onAccepted);
        } catch (error) {
          this.host.onError(error, 'handling device progress');
        }
      },
    };
  }

  private progress(update: DeviceCallProgress, device: DeviceRef, obj: MgmtObjRef | undefined, onAccepted: (report: DeviceReport) => void): void {
    if (this.ended) return;
    if (update.state === 'sent') {
      if (this.record.state !== 'queued') return;
      this.plan.device = device;
      void this.setState('sent');
      return;
    }
    if (!obj) throw new Error('an adapter reported accepted work on a call about several mgmtObjs');
    const first = this.record.state !== 'accepted';
    this.plan.accepted = { device, obj: { ...obj, attrs: {} }, resume: update.resume };
    if (first) {
      // the device has the work: a blocking client that goes away from now on no longer withdraws it
      if (this.answerAtAccepted) this.releaseClient();
      this.lifetime.extend(Date.now() + this.host.progressTimeoutMs);
      // kept as long as the work may still end: the expiry sweep would otherwise withdraw it at the old deadline
      this.record.keepUntil = this.host.keepUntil(this, this.lifetime.deadline);
      this.enqueue(() => this.host.expirationMoved(this), 'moving the expiration');
    }
    this.durable = true;
    void this.setState('accepted', { deadline: this.lifetime.deadline });
    // a blocking request is answered with the first report: its handler stores those attributes itself
    if (!(first && this.answerAtAccepted)) this.enqueue(() => this.host.storeProgress(obj.ri, update.report), 'storing device progress');
    onAccepted(update.report);
  }

  private guarded<T>(call: Promise<T>, expired: () => T): Promise<T> {
    return untilEnded(call, this.lifetime.signal, expired);
  }

  /** Runs `step` after the steps before it and, when the handler answers at the first report, after the handler. */
  private enqueue(step: () => Promise<void>, what: string): void {
    const after = this.answerAtAccepted ? () => this.handlerSettled : () => undefined;
    this.chain = this.chain.then(after).then(step).catch((error: unknown) => this.host.onError(error, what));
  }
}

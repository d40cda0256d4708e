import { setTimeoutAt, type LongTimer } from '../../core/long-timer.js';
import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../core/device-adapter.js';
import type { ActionStatusValue, Lwm2mAttributeMapping, Lwm2mMgmtObjMapping, Lwm2mProgressMapping, MappingSet } from '../../mappings/types.js';
import type { Lwm2mClientInfo } from '../downlink.js';
import type { ResourceValue } from '../formats/model.js';
import { readForAttributes, attributesOfInstance } from './attribute-read.js';
import { reportOfError, successReport } from './device-report.js';
import { DeviceStepError } from './errors.js';
import type { InstanceRef } from './object-path.js';
import type { ObserveMetrics } from './observe-metrics.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import type { ProgressFollower, ProgressJob } from './progress-job.js';
import type { RegistrationChange, RegistrationEvents } from './registration-events.js';
import {
  cancelObservations,
  forgetObservations,
  observeResources,
  type NotificationPeriods,
  type ObservedResource,
  type ResourceNotification,
} from './resource-observation.js';
import { valuesByResource } from './value-conversion.js';

export interface ProgressTrackerDeps {
  operations: OperationDeps;
  events: RegistrationEvents;
  metrics: ObserveMetrics;
  periods: NotificationPeriods;
  lookup(endpoint: string): Lwm2mClientInfo | undefined;
}

/** Answers that say a device has no status resource to follow. */
const NO_STATUS_CODES = new Set(['2.05', '4.04', '4.05']);

/** How long a Cancel Observation may wait for its turn in the endpoint's queue (the device is awake when it is sent). */
const CANCEL_WAIT_MS = 10_000;

type ProgressEvent =
  | { kind: 'notification'; session: number; notification: ResourceNotification }
  | { kind: 'registration'; change: RegistrationChange }
  | { kind: 'poll'; session: number }
  | { kind: 'abort' };

/** Events in arrival order; `next()` waits for one. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | undefined;

  push(item: T): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

interface Ending {
  ok: boolean;
  status: ActionStatusValue;
  result: unknown;
}

function isActionStatus(value: unknown): value is ActionStatusValue {
  return typeof value === 'object' && value !== null && typeof (value as ActionStatusValue).acn === 'string' && typeof (value as ActionStatusValue).sus === 'number';
}

/**
 * Follows work an Execute started (firmware Update, software Install / Uninstall): observes the status attribute's
 * resources, reports each new status as `accepted` progress, and ends with the status table's row for the Update Result
 * once the status shows success or failure. A device that de-registers (it often reboots after flashing) is waited for
 * and observed again when it registers; ctx.signal ends the wait with the `timeout` report.
 */
export class ProgressTracker implements ProgressFollower {
  constructor(private readonly deps: ProgressTrackerDeps) {}

  async follow(table: MappingSet, device: DeviceRef, obj: MgmtObjRef, job: ProgressJob, ctx: DeviceCallContext): Promise<DeviceReport> {
    let mapping: Lwm2mMgmtObjMapping;
    try {
      mapping = mappingOf(table, obj);
    } catch (error) {
      return reportOfError('execute', error);
    }
    const progress = mapping.byAttribute.get(job.attribute)?.progress;
    const status = progress && mapping.byAttribute.get(progress.status);
    if (!progress || !status) {
      return { technology: 'lwm2m', operation: 'execute', code: 'unmapped', detail: `(${obj.type}.${job.attribute} has no progress to follow in mappings/objects/lwm2m.yaml)` };
    }
    return new ProgressRun(this.deps, mapping, device.deviceId, job, progress, status, ctx).run();
  }
}

class ProgressRun {
  private readonly inbox = new Inbox<ProgressEvent>();
  private readonly instance: InstanceRef;
  /** Latest device value per observed resource. */
  private readonly current = new Map<number, unknown>();
  private observed: ObservedResource[] = [];
  private session = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: LongTimer | undefined;
  private reported: string;

  constructor(
    private readonly deps: ProgressTrackerDeps,
    private readonly mapping: Lwm2mMgmtObjMapping,
    private readonly endpoint: string,
    private readonly job: ProgressJob,
    private readonly progress: Lwm2mProgressMapping,
    private readonly status: Lwm2mAttributeMapping,
    private readonly ctx: DeviceCallContext,
  ) {
    this.instance = { objectId: job.objectId, instanceId: job.instanceId };
    this.reported = JSON.stringify({ acn: job.attribute, sus: 3 });
  }

  async run(): Promise<DeviceReport> {
    this.armDeadline();
    const stopListening = this.deps.events.on(this.endpoint, (change) => this.inbox.push({ kind: 'registration', change }));
    const onAbort = () => this.inbox.push({ kind: 'abort' });
    this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.loop();
    } finally {
      stopListening();
      this.ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(this.pollTimer);
      this.deadlineTimer?.clear();
    }
  }

  /** The signal should abort at the deadline; should it not, the deadline (it moves on with progress) still ends the wait. */
  private armDeadline(): void {
    this.deadlineTimer?.clear();
    this.deadlineTimer = setTimeoutAt(this.ctx.deadline, () => this.inbox.push({ kind: 'abort' })).unref();
  }

  private async loop(): Promise<DeviceReport> {
    let observeNow = true;
    for (;;) {
      if (this.ctx.signal.aborted || this.ctx.deadline <= Date.now()) return this.timedOut();
      if (observeNow) {
        observeNow = false;
        const outcome = await this.observe();
        if (this.ctx.signal.aborted || this.ctx.deadline <= Date.now()) return this.timedOut();
        if (outcome === 'unfollowable') return this.unfollowable();
        const ending = this.ending();
        if (ending) return this.finish(ending);
        if (outcome === 'unreachable' || this.observed.some((entry) => !entry.observation)) this.schedulePoll();
      }
      const event = await this.inbox.next();
      switch (event.kind) {
        case 'abort':
          return this.timedOut();
        case 'poll':
          observeNow = event.session === this.session;
          break;
        case 'registration':
          if (event.change === 'update') break;
          // observations die with a registration; a new one may show the work finished meanwhile
          forgetObservations(this.deps.metrics, this.observed);
          this.session++;
          observeNow = event.change === 'register';
          break;
        case 'notification': {
          if (event.session !== this.session) break;
          const { notification } = event;
          if ('ended' in notification) {
            forgetObservations(this.deps.metrics, this.observed.filter((entry) => entry.resourceId === notification.resourceId));
            this.schedulePoll();
            break;
          }
          this.apply(notification.resourceId, notification.values);
          const ending = this.ending();
          if (ending) return this.finish(ending);
          this.reportProgress();
          break;
        }
      }
    }
  }

  /** Observes the status resources anew; their first answers are the current values. */
  private async observe(): Promise<'observed' | 'unreachable' | 'unfollowable'> {
    forgetObservations(this.deps.metrics, this.observed);
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const session = ++this.session;
    try {
      const { io } = this.deps.operations;
      this.observed = await observeResources(io, this.deps.metrics, this.endpoint, this.instance, this.job.resources, this.deps.periods, this.ctx, (notification) =>
        this.inbox.push({ kind: 'notification', session, notification }),
      );
    } catch (error) {
      if (error instanceof DeviceStepError) return 'unreachable';
      throw error;
    }
    for (const entry of this.observed) this.apply(entry.resourceId, entry.values);
    if (this.statusValue() === undefined) {
      // the device has no status resources (4.04, 4.05, or an empty 2.05 as lwm2m-node-lib answers): nothing to follow;
      // any other answer (a 5.03 while it flashes) is asked again later
      return this.observed.every((entry) => NO_STATUS_CODES.has(entry.code)) ? 'unfollowable' : 'unreachable';
    }
    if (!this.ending()) this.reportProgress();
    return 'observed';
  }

  private apply(resourceId: number, values: readonly ResourceValue[]): void {
    const value = valuesByResource(values, this.instance).get(resourceId);
    if (value !== undefined) this.current.set(resourceId, value);
  }

  private statusValue(): unknown {
    const inputs = this.status.resources.map((resourceId) => this.current.get(resourceId));
    if (inputs.some((input) => input === undefined)) return undefined;
    return this.deps.operations.converters.fromDevice(this.status.converter, inputs, this.status.attribute);
  }

  private ending(): Ending | undefined {
    const status = this.statusValue();
    if (!isActionStatus(status)) return undefined;
    const result = this.current.get(this.status.resources[this.status.resources.length - 1]);
    if (status.sus === 2) return { ok: false, status, result };
    const { success } = this.progress;
    if (status.acn === success.acn && status.sus === success.sus) return { ok: true, status, result };
    return undefined;
  }

  private reportProgress(): void {
    const status = this.statusValue();
    if (!isActionStatus(status)) return;
    const key = JSON.stringify(status);
    if (key === this.reported) return;
    this.reported = key;
    this.ctx.progress({ state: 'accepted', report: successReport('execute', '2.04', { attributes: { [this.status.attribute]: status } }), resume: this.job });
    this.armDeadline();
  }

  /** A device that stays silent, or cannot be observed, is looked at again every pmax. */
  private schedulePoll(): void {
    if (this.pollTimer) return;
    const session = this.session;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.inbox.push({ kind: 'poll', session });
    }, this.deps.periods.pmax * 1000);
    this.pollTimer.unref();
  }

  private resultPath(): string {
    return `/${this.instance.objectId}/${this.instance.instanceId}/${this.status.resources[this.status.resources.length - 1]}`;
  }

  private async finish(seen: Ending): Promise<DeviceReport> {
    await this.cancel();
    // State and result come as separate notifications (a device sets one after the other): the read after the end makes
    // the result the one that belongs to the state that ended the work
    const read = await this.readAfterEnd();
    if (read) for (const resourceId of this.job.resources) this.apply(resourceId, read.values);
    const ending = this.ending() ?? seen;
    const attributes: Record<string, unknown> = { ...(ending.ok ? read?.attributes : {}), [this.status.attribute]: ending.status };
    const code = String(ending.result);
    const report: DeviceReport = { technology: 'lwm2m', operation: this.progress.results, code, attributes };
    if (!ending.ok) report.detail = `(LwM2M ${this.status.attribute} ${JSON.stringify(ending.status)}, Update Result ${code} at ${this.resultPath()})`;
    return report;
  }

  /** The instance's readable resources once the work has ended (a new vr); undefined when the device cannot be read now. */
  private async readAfterEnd(): Promise<{ values: ResourceValue[]; attributes: Record<string, unknown> } | undefined> {
    const { io, converters } = this.deps.operations;
    const readable = this.mapping.attributes.filter((attribute) => attribute.access !== 'W' && !attribute.executable);
    let values: ResourceValue[];
    try {
      values = await readForAttributes(io, this.endpoint, this.instance, readable, this.ctx);
    } catch (error) {
      if (error instanceof DeviceStepError) return undefined;
      throw error;
    }
    try {
      return { values, attributes: attributesOfInstance(converters, this.mapping, this.instance, values).attributes };
    } catch (error) {
      if (error instanceof DeviceStepError) return { values, attributes: {} };
      throw error;
    }
  }

  /** Cancel Observation while the device is reachable; otherwise let go (its next notification gets RST). */
  private async cancel(): Promise<void> {
    const client = this.deps.lookup(this.endpoint);
    if (!client?.online) return forgetObservations(this.deps.metrics, this.observed);
    const ctx: DeviceCallContext = {
      requestId: this.ctx.requestId,
      originator: this.ctx.originator,
      deadline: Date.now() + CANCEL_WAIT_MS,
      signal: AbortSignal.timeout(CANCEL_WAIT_MS),
      progress: () => {},
    };
    await cancelObservations(this.deps.operations.io, this.deps.metrics, this.endpoint, this.instance, this.observed, ctx);
  }

  private timedOut(): DeviceReport {
    const last = this.statusValue();
    void this.cancel().catch((err: unknown) => this.deps.operations.logger.error({ err, endpoint: this.endpoint }, 'cancelling an observation failed'));
    const registered = this.deps.lookup(this.endpoint) !== undefined;
    const report: DeviceReport = {
      technology: 'lwm2m',
      operation: 'execute',
      code: 'timeout',
      detail:
        `(no end of the work ${this.job.attribute} started came before the deadline: ${this.status.attribute} was last ` +
        `${last === undefined ? 'not known' : JSON.stringify(last)}${registered ? '' : ', the device is not registered'}; the observation is cancelled)`,
    };
    if (isActionStatus(last)) report.attributes = { [this.status.attribute]: last };
    return report;
  }

  /** The device has no status resources: the Execute's 2.04 is all there is to say. */
  private unfollowable(): DeviceReport {
    forgetObservations(this.deps.metrics, this.observed);
    const detail = `(the device reports no ${this.status.attribute}: the end of the work ${this.job.attribute} started cannot be followed)`;
    return { ...successReport('execute', '2.04'), detail };
  }
}

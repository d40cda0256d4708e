/**
 * Applies the values a CSE staged on a `<node>` before its device was seen, once a device binds to the node: the
 * mgmtObj is read from the device, and each desired value that differs is written by a request of the proxy's own,
 * all within STAGED_APPLY_TIMEOUT_S of the binding. Each value ends applied (equal or written), refused by the device
 * (labelled `staged-refused:<attr>`) or, when the device could not be reached, still staged for its next registration.
 */
import { isDeepStrictEqual } from 'node:util';
import { Counter, type Registry } from 'prom-client';
import type { AdapterRegistry } from '../../core/device-adapter.js';
import type { MgmtObjSpec } from '../../core/attribute-dictionary.js';
import type { Logger } from '../../core/logger.js';
import { Operation, type RequestPrimitive, type ResponsePrimitive } from '../../core/primitives.js';
import type { StoredResource } from '../../store/resource-store.js';
import type { StagedNode } from '../resources/device-nodes.js';
import type { ResourceTree } from '../resources/resource-tree.js';
import { desiredValues, isDeviceBound, isStaged } from '../resources/held-values.js';
import { settledMgmtObj, type StagedOutcome } from './staged-outcome.js';
import { withoutDeviceValues } from '../resources/device-nodes.js';

export interface StagedValuesApplierDeps {
  tree: ResourceTree;
  adapters: AdapterRegistry;
  originator: string;
  timeoutMs: number;
  logger: Logger;
  metrics: Registry;
}

/** Answers that say the device was not reached (or not in time): the value waits for another registration. */
const NOT_REACHED = new Set([4008, 5103, 6003, 6020, 6021, 6030, 6031]);
const SUCCESS = new Set([1000, 2000, 2004]);

export class StagedValuesApplier {
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopped = new AbortController();
  private readonly outcomes: Counter<'outcome'>;
  private requests = 0;
  /** Serves a request of the proxy's own (Dispatcher.handleOwn); until the core starts it, bindings wait in `early`. */
  private sender?: (req: RequestPrimitive) => Promise<ResponsePrimitive>;
  private readonly early = new Map<string, StagedNode>();

  constructor(private readonly deps: StagedValuesApplierDeps) {
    this.outcomes = new Counter({
      name: 'onem2m_staged_values_total',
      help: 'Staged attribute values by outcome once a device bound: applied, refused by the device, not reached (still staged), held (no device object mapped)',
      labelNames: ['outcome'],
      registers: [deps.metrics],
    });
  }

  /** A device bound to a node holding staged mgmtObjs; one run per node at a time (a registration Update during a run adds nothing). */
  deviceBound(node: StagedNode): void {
    if (this.stopped.signal.aborted || this.running.has(node.nodeRi)) return;
    if (!this.sender) {
      this.early.set(node.nodeRi, node);
      return;
    }
    const deadline = Date.now() + this.deps.timeoutMs;
    const run = this.applyNode(node, deadline)
      .catch((error: unknown) => this.deps.logger.error({ err: error, node: node.nodeRi }, 'applying staged values failed'))
      .finally(() => this.running.delete(node.nodeRi));
    this.running.set(node.nodeRi, run);
  }

  /** Devices bind as soon as the technology modules run; their staged values are written once requests can be served. */
  start(send: (req: RequestPrimitive) => Promise<ResponsePrimitive>): void {
    this.sender = send;
    for (const node of this.early.values()) this.deviceBound(node);
    this.early.clear();
  }

  close(): void {
    this.stopped.abort();
  }

  private async applyNode(staged: StagedNode, deadline: number): Promise<void> {
    const { tree, adapters } = this.deps;
    const node = await tree.get(staged.nodeRi);
    if (!node || !isDeviceBound(node)) return;
    const adapter = adapters.get(staged.protocol);
    for (const mgmtObj of (await tree.children(node)).filter(isStaged)) {
      if (this.stopped.signal.aborted) return;
      const spec = tree.specOf(mgmtObj) as MgmtObjSpec;
      const outcome = adapter?.serves(spec.name) ? await this.apply(mgmtObj, spec, deadline) : { held: true, applied: [], refused: [] };
      await this.settle(mgmtObj, outcome);
    }
  }

  /** Reads the device's values, then writes each desired one that differs, one request per attribute so one refusal stops no other. */
  private async apply(mgmtObj: StoredResource, spec: MgmtObjSpec, deadline: number): Promise<StagedOutcome> {
    const desired = desiredValues(mgmtObj) ?? {};
    await this.showDeviceValuesOnly(mgmtObj, spec);
    const read = await this.send(Operation.Retrieve, mgmtObj.ri, undefined, deadline);
    const current = SUCCESS.has(read.rsc) ? (read.pc?.[spec.rootKey] as Record<string, unknown> | undefined) : undefined;
    const outcome: StagedOutcome = { held: false, applied: [], refused: [] };
    for (const [attribute, value] of Object.entries(desired)) {
      if (current && isDeepStrictEqual(current[attribute], value)) {
        outcome.applied.push(attribute);
        continue;
      }
      const written = await this.send(Operation.Update, mgmtObj.ri, { [spec.rootKey]: { [attribute]: value } }, deadline);
      if (SUCCESS.has(written.rsc)) {
        outcome.applied.push(attribute);
      } else if (NOT_REACHED.has(written.rsc)) {
        this.deps.logger.info({ mgmtObj: mgmtObj.path, attribute, rsc: written.rsc }, 'staged value not written: the device was not reached; it stays staged');
        this.outcomes.inc({ outcome: 'not-reached' });
      } else {
        const dbg = written.pc?.['m2m:dbg'];
        this.deps.logger.warn({ mgmtObj: mgmtObj.path, attribute, rsc: written.rsc, dbg }, 'staged value refused by the device');
        outcome.refused.push(attribute);
      }
    }
    return outcome;
  }

  /**
   * From the binding on, the mgmtObj shows what the device reports: the desired values leave its attributes (they stay
   * in `internal` until settled), so that neither a CSE nor the comparison takes them for the device's.
   */
  private showDeviceValuesOnly(mgmtObj: StoredResource, spec: MgmtObjSpec): Promise<void> {
    const { tree } = this.deps;
    return tree.retrying(async () => {
      const latest = await tree.get(mgmtObj.ri);
      if (!latest) return;
      const attrs = withoutDeviceValues(spec, latest.attrs);
      if (Object.keys(attrs).length < Object.keys(latest.attrs).length) await tree.commit([{ ...latest, attrs }], [], [{ unchanged: latest }]);
    });
  }

  private send(op: Operation, to: string, pc: Record<string, unknown> | undefined, deadline: number): Promise<ResponsePrimitive> {
    const rcn = op === Operation.Update ? 0 : 1;
    return this.sender!({
      op, to, fr: this.deps.originator, rqi: `staged-${++this.requests}`, rvi: '3', pc, rcn, deadline, signal: this.stopped.signal,
    });
  }

  /** Records the outcome in the mgmtObj as it is now; a value the CSE changed meanwhile stays staged. */
  private async settle(mgmtObj: StoredResource, outcome: StagedOutcome): Promise<void> {
    const { tree } = this.deps;
    const done = await tree.retrying(async () => {
      const latest = await tree.get(mgmtObj.ri);
      if (!latest) return false;
      const settled = settledMgmtObj(tree, latest, desiredValues(mgmtObj) ?? {}, outcome);
      if (settled) await tree.commit([settled], [], [{ unchanged: latest }]);
      return true;
    });
    if (!done) return;
    if (outcome.held) this.outcomes.inc({ outcome: 'held' });
    this.outcomes.inc({ outcome: 'applied' }, outcome.applied.length);
    this.outcomes.inc({ outcome: 'refused' }, outcome.refused.length);
  }
}

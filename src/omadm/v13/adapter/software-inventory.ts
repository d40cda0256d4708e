import type { DeviceCallContext } from '../../../core/device-adapter.js';
import type { DeviceDirectory, DiscoveredMgmtObj } from '../../../core/device-directory.js';
import type { OmadmMgmtObjMapping } from '../../../mappings/types.js';
import type { Alert } from '../codec/index.js';
import type { QueuedDmCommand } from '../session/command-queue.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { answerOf, itemCode, isSuccess } from './answer-reading.js';
import { getNodes } from './dm-commands.js';
import { mgmtObjNodes } from './mgmt-obj-nodes.js';
import { attributeFromNode } from '../../common/node-values.js';

const SOFTWARE = 'software';
/** The reads' request ids (and queue keys): `software-inventory:<DevId>:<n>`. */
const KEY_PREFIX = 'software-inventory:';
const NOT_FOUND = 404;
/** Where SCOMO keeps its components (OMA SCOMO 1.0 DDF): the deployed ones and the delivery packages not installed yet. */
const DEPLOYED = 'Inventory/Deployed';
const DOWNLOAD = 'Download';
/** What the inventory reads of each deployed component. */
const COMPONENT_ATTRIBUTES = ['swn', 'vr'] as const;

interface Component {
  instance: string;
  deployed: boolean;
}

/** A promise and its resolver, for "the run queued its next commands (or ended)". */
function signal(): { promise: Promise<void>; done(): void } {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  return { promise, done };
}

/**
 * The device's SCOMO components as `software-<x>` mgmtObjs: a Get of ./SCOMO/Inventory/Deployed and ./SCOMO/Download
 * (interior nodes: their child names), then of each deployed component's Name and Version; the instances are
 * published through the DeviceDirectory (a component gone loses its mgmtObj) with their swn/vr. Read when this
 * process first publishes the device, and again after a SCOMO operation completes. One read per device at a time; a
 * read asked for meanwhile runs once the current one ends.
 */
export class SoftwareInventory {
  /** Devices this process published and read (or is reading). */
  private readonly known = new Set<string>();
  private readonly running = new Map<string, { again: boolean; step: ReturnType<typeof signal> }>();
  private reads = 0;

  constructor(
    private readonly deps: DmOperationDeps,
    private readonly directory: DeviceDirectory,
    private readonly deadlineMs: number,
  ) {}

  /** The session published the device: the first time, read its inventory (the Gets go out in that session). */
  devicePublished(devId: string): Promise<void> | undefined {
    if (this.known.has(devId)) return undefined;
    this.known.add(devId);
    return this.refresh(devId);
  }

  /** A SCOMO OperationComplete changes the inventory: read it again (in the session that brought the alert). */
  alerted(devId: string, alert: Alert): Promise<void> | undefined {
    const scomo = alert.items.some((item) => (item.meta?.type ?? '').toLowerCase().includes('scomo'));
    return scomo ? this.refresh(devId) : undefined;
  }

  /**
   * What a session waits for after the answer to one of the reads' Gets: the read queued its next Get, or ended (so
   * the next Get goes out in the same session). Undefined for any other command.
   */
  settling(devId: string, entry: QueuedDmCommand): Promise<void> | undefined {
    if (!entry.key?.startsWith(`${KEY_PREFIX}${devId}:`)) return undefined;
    return this.running.get(devId)?.step.promise;
  }

  /** Starts a read (or marks one to follow the running one); resolves once its first Get is queued. */
  refresh(devId: string): Promise<void> {
    const current = this.running.get(devId);
    if (current) {
      current.again = true;
      return Promise.resolve();
    }
    const run = { again: false, step: signal() };
    this.running.set(devId, run);
    const queued = signal();
    void this.read(devId, run, queued.done)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, devId }, 'reading the SCOMO inventory failed'))
      .finally(() => {
        queued.done();
        run.step.done();
        this.running.delete(devId);
        if (run.again) void this.refresh(devId);
      });
    return queued.promise;
  }

  private async read(devId: string, run: { step: ReturnType<typeof signal> }, firstQueued: () => void): Promise<void> {
    const mapping = this.deps.table().omadmByMgmtObj(SOFTWARE);
    if (!mapping) return;
    const ctx = this.context(devId);
    const lists = [`${mapping.rootPath}/${DEPLOYED}`, `${mapping.rootPath}/${DOWNLOAD}`];
    const [listing] = await this.deps.dispatch.send(devId, [getNodes(lists)], ctx, ctx.requestId, firstQueued);
    if (!('answer' in listing)) return this.unread(devId, listing);
    const answer = answerOf(listing.answer, listing.answer.cmdIds[0]);
    const [deployed, downloads] = lists.map((uri) => childNames(itemCode(answer, uri), answer.values.get(uri)));
    if (deployed === undefined) return this.unread(devId, { code: itemCode(answer, lists[0]) });
    const components = new Map<string, Component>();
    for (const instance of downloads ?? []) components.set(instance, { instance, deployed: false });
    for (const instance of deployed) components.set(instance, { instance, deployed: true });

    const published = [...components.values()].flatMap((component) => {
      const nodes = this.nodesOf(mapping, component.instance);
      return nodes ? [{ component, nodes }] : [];
    });
    const values = await this.componentValues(devId, published.filter(({ component }) => component.deployed).map(({ nodes }) => nodes), run, ctx);
    await this.directory.upsertMgmtObjs('omadm13', devId, SOFTWARE, published.map(({ nodes }) => nodes.mgmtObj));
    for (const { nodes } of published) {
      const found = values.get(nodes.mgmtObj.rn);
      if (found && Object.keys(found).length > 0) await this.directory.cacheReportedAttributes('omadm13', devId, nodes.mgmtObj, found);
    }
  }

  /** Name and Version of the deployed components, one Get; a component whose leaves fail keeps no values. */
  private async componentValues(devId: string, components: ReturnType<SoftwareInventory['nodesOf']>[], run: { step: ReturnType<typeof signal> }, ctx: DeviceCallContext) {
    const values = new Map<string, Record<string, unknown>>();
    const leaves = components.flatMap((nodes) => (nodes ? nodes.attributes.map((attribute) => ({ nodes, attribute, uri: nodes.uriOf(attribute) })) : []));
    if (leaves.length === 0) return values;
    const previous = run.step;
    run.step = signal();
    const [outcome] = await this.deps.dispatch.send(devId, [getNodes(leaves.map((leaf) => leaf.uri))], ctx, `${ctx.requestId}:values`, previous.done);
    if (!('answer' in outcome)) {
      this.unread(devId, outcome);
      return values;
    }
    const answer = answerOf(outcome.answer, outcome.answer.cmdIds[0]);
    for (const { nodes, attribute, uri } of leaves) {
      const code = itemCode(answer, uri);
      const text = answer.values.get(uri);
      if (code === undefined || !isSuccess(code) || text === undefined) continue;
      const value = attributeFromNode(this.deps.converters, attribute, text);
      if ('value' in value) values.set(nodes.mgmtObj.rn, { ...values.get(nodes.mgmtObj.rn), [attribute.attribute]: value.value });
    }
    return values;
  }

  /** The mgmtObj of one component and where its swn/vr live; undefined for a name that is no DM node name. */
  private nodesOf(mapping: OmadmMgmtObjMapping, instance: string) {
    const rn = `${SOFTWARE}-${instance}`;
    try {
      const nodes = mgmtObjNodes(this.deps.table(), { ri: '', rn, type: SOFTWARE, attrs: {} });
      const mgmtObj: DiscoveredMgmtObj = { type: SOFTWARE, rn, obis: [mapping.moUrn], obps: nodes.instanceNodes() };
      const attributes = mapping.attributes.filter((attribute) => (COMPONENT_ATTRIBUTES as readonly string[]).includes(attribute.attribute));
      return { mgmtObj, attributes, uriOf: nodes.uriOf };
    } catch {
      this.deps.logger.info({ instance }, 'SCOMO component name is no node name; not published');
      return undefined;
    }
  }

  private unread(devId: string, why: unknown): void {
    this.deps.logger.info({ devId, why }, 'SCOMO inventory not read; the software mgmtObjs stay as they were');
  }

  private context(devId: string): DeviceCallContext {
    const deadline = Date.now() + this.deadlineMs;
    return {
      requestId: `${KEY_PREFIX}${devId}:${++this.reads}`,
      originator: 'dm-proxy',
      deadline,
      signal: AbortSignal.timeout(this.deadlineMs),
      progress: () => {},
    };
  }
}

/** The child names an interior Get returned (`a/b/c`); an empty list for a node the device lacks (404); undefined on any other failure. */
function childNames(code: number | undefined, data: string | undefined): string[] | undefined {
  if (code === NOT_FOUND) return [];
  if (code === undefined || !isSuccess(code)) return undefined;
  return (data ?? '').split('/').filter((name) => name.length > 0);
}

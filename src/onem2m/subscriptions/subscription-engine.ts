/**
 * Sends the notifications of every `<subscription>` (TS-0001 §10.2.10): it watches the tree's writes, whoever made them
 * (a CSE request, a device registering or going away, a value read from a device, progress of a firmware update, a
 * staged value applied), and queues an m2m:sgn for each subscription whose criteria the change meets. It keeps every
 * subscription in memory, loaded at start and kept up to date from the same writes.
 */
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';
import { RESOURCE_TYPE } from '../../core/attribute-dictionary.js';
import type { StoredResource } from '../../store/resource-store.js';
import type { AccessPolicy } from '../access-control.js';
import type { NotificationSender } from '../notifications/notification-sender.js';
import type { ChangeWatcher, ResourceChange, ResourceTree } from '../resources/resource-tree.js';
import { deletionNotice, notificationFor } from './notification-content.js';
import { NOTIFICATION_EVENT, subscriptionRecord, type SubscriptionRecord } from './subscription-record.js';

export interface SubscriptionEngineDeps {
  tree: ResourceTree;
  access: AccessPolicy;
  sender: NotificationSender;
  /** The proxy's SP-relative CSE-ID (`/id-proxy`): `sur` is `<cseId>/<subscription ri>`. */
  cseId: string;
  logger: Logger;
  metrics: Registry;
}

/** How many subscriptions one step of the start-up scan examines. */
const LOAD_WINDOW = 500;

export class SubscriptionEngine implements ChangeWatcher {
  private readonly records = new Map<string, SubscriptionRecord>();
  /** Subscription ris by subscribed-to resource ri. */
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly withheld: Counter;
  /** exc updates in order, one at a time. */
  private counting: Promise<void> = Promise.resolve();
  /** exc counted down but not stored yet, by subscription ri: a stored version read meanwhile is behind it. */
  private readonly uncounted = new Map<string, number>();

  constructor(private readonly deps: SubscriptionEngineDeps) {
    this.withheld = new Counter({
      name: 'onem2m_subscription_notifications_withheld_total',
      help: 'Notifications not sent because the subscription\'s creator may no longer retrieve the resource',
      registers: [deps.metrics],
    });
  }

  /** Loads every stored subscription and starts watching the tree (call once, before requests are served). */
  async start(): Promise<void> {
    const { tree } = this.deps;
    let after: number | undefined;
    do {
      const chunk = await tree.findDescendants({ under: tree.cseBase.path, ty: [RESOURCE_TYPE.subscription], window: LOAD_WINDOW, after });
      for (const summary of chunk.matches) {
        const resource = await tree.get(summary.ri);
        if (resource) this.remember(resource);
      }
      after = chunk.next;
    } while (after !== undefined);
    tree.watch(this);
  }

  /** Subscriptions held now (tests, health). */
  get size(): number {
    return this.records.size;
  }

  watches(resource: Pick<StoredResource, 'ri' | 'pi' | 'ty'>): boolean {
    return resource.ty === RESOURCE_TYPE.subscription || this.bySubject.has(resource.ri) || this.bySubject.has(resource.pi);
  }

  watchesDeletes(): boolean {
    return this.records.size > 0;
  }

  changed(changes: ResourceChange[]): void {
    for (const change of changes) {
      try {
        this.apply(change);
      } catch (error) {
        this.deps.logger.error({ err: error, ri: change.resource.ri, kind: change.kind }, 'subscriptions: a change could not be notified');
      }
    }
  }

  private apply(change: ResourceChange): void {
    const { resource } = change;
    if (resource.ty === RESOURCE_TYPE.subscription) {
      if (change.kind === 'deleted') this.forget(resource.ri);
      else this.remember(resource);
      return;
    }
    if (change.kind === 'updated') return this.notifyAll(resource.ri, NOTIFICATION_EVENT.update, resource, change.previous);
    if (change.kind === 'created') return this.notifyAll(resource.pi, NOTIFICATION_EVENT.createChild, resource);
    // a deleted subtree: its resources' subscriptions hear of it and go with it; its parent's hear of a child deleted
    this.notifyAll(resource.pi, NOTIFICATION_EVENT.deleteChild, resource);
    for (const record of [...this.records.values()]) {
      const inSubtree = record.pi === resource.ri || record.path.startsWith(`${resource.path}/`);
      if (!inSubtree) continue;
      if (record.pi === resource.ri) this.notify(record, NOTIFICATION_EVENT.delete, resource);
      this.forget(record.ri);
    }
  }

  private notifyAll(subjectRi: string, net: number, resource: StoredResource, previous?: StoredResource): void {
    const ris = this.bySubject.get(subjectRi);
    if (!ris) return;
    for (const ri of [...ris]) {
      const record = this.records.get(ri);
      if (record) this.notify(record, net, resource, previous);
    }
  }

  private notify(record: SubscriptionRecord, net: number, resource: StoredResource, previous?: StoredResource): void {
    // spent: its deletion is on its way
    if (record.exc !== undefined && record.exc <= 0) return;
    const content = notificationFor(this.deps.tree, this.sur(record), record, net, resource, previous);
    if (!content) return;
    if (!this.mayRetrieve(record.creator, resource)) {
      this.withheld.inc();
      return;
    }
    for (const target of record.nu) this.deps.sender.send(target, content);
    if (record.exc !== undefined) this.countDown(record);
  }

  /** Notifications carry nothing the subscriber could not retrieve itself, now. */
  private mayRetrieve(creator: string, resource: StoredResource): boolean {
    const { access, tree } = this.deps;
    if (access.deniedReason(creator, 'retrieve') !== undefined) return false;
    const nodeName = tree.nodeNameOf(resource);
    return nodeName === undefined || access.allowsNode(creator, nodeName);
  }

  /** One notification fewer; at 0 the subscription is deleted (and its subscriber told, as for any deletion). */
  private countDown(record: SubscriptionRecord): void {
    record.exc = (record.exc ?? 1) - 1;
    const left = record.exc;
    this.uncounted.set(record.ri, left);
    this.counting = this.counting.then(async () => {
      const { tree } = this.deps;
      await tree.retrying(async () => {
        const stored = await tree.get(record.ri);
        if (!stored) return;
        if (left <= 0) await tree.delete(stored);
        else await tree.commit([tree.withChanges(stored, { exc: left })], [], [{ unchanged: stored }]);
      });
    }).catch((error: unknown) => this.deps.logger.error({ err: error, subscription: record.path }, 'subscriptions: expirationCounter not stored'))
      .finally(() => {
        if (this.uncounted.get(record.ri) === left) this.uncounted.delete(record.ri);
      });
  }

  private sur(record: SubscriptionRecord): string {
    return `${this.deps.cseId}/${record.ri}`;
  }

  private remember(resource: StoredResource): void {
    const record = subscriptionRecord(resource);
    const uncounted = this.uncounted.get(record.ri);
    if (uncounted !== undefined && record.exc !== undefined) record.exc = Math.min(record.exc, uncounted);
    this.forget(record.ri, false);
    this.records.set(record.ri, record);
    let ris = this.bySubject.get(record.pi);
    if (!ris) this.bySubject.set(record.pi, (ris = new Set()));
    ris.add(record.ri);
  }

  /** Drops a subscription that was deleted; its subscriber hears of it when it gave `su`. */
  private forget(ri: string, deleted = true): void {
    const record = this.records.get(ri);
    if (!record) return;
    this.records.delete(ri);
    const ris = this.bySubject.get(record.pi);
    ris?.delete(ri);
    if (ris?.size === 0) this.bySubject.delete(record.pi);
    if (deleted && record.su) this.deps.sender.send(record.su, deletionNotice(this.sur(record), record));
  }

  /** Resolves once the expirationCounter writes queued so far are stored (tests). */
  settled(): Promise<void> {
    return this.counting;
  }
}

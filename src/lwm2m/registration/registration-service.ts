import type { Logger } from '../../core/logger.js';
import type { Store } from '../../store/store.js';
import type { RegistrationStore } from '../../store/registration-store.js';
import type { DeviceDirectory } from '../../core/device-directory.js';
import type { MappingService, MappingSet } from '../../mappings/types.js';
import type { Lwm2mMetrics } from '../lwm2m-metrics.js';
import { KeyedQueue } from '../../core/keyed-queue.js';
import { Lwm2mRequestError } from '../request-error.js';
import { discoveredDevice, sameDeviceView } from './device-publication.js';
import { ExpiryTimer } from './expiry-timer.js';
import { adoptLegacyRegistrations } from './legacy-registrations.js';
import type { RegisteredObjects } from './object-links.js';
import type { RegisterParams, UpdateParams } from './registration-params.js';
import { newRegistrationId } from './registration-id.js';
import { RegistrationIndex } from './registration-index.js';
import { REGISTRATION_KIND, expiresAt, type Registration } from './registration.js';

export type RegistrationChange = 'register' | 'update' | 'deregister' | 'expire';

export interface Peer {
  /** Plain form (IPv4 not mapped). */
  address: string;
  port: number;
}

export interface RegistrationServiceDeps {
  store: Store;
  directory: DeviceDirectory;
  mappings: MappingService;
  logger: Logger;
  metrics: Lwm2mMetrics;
  graceSeconds: number;
}

/** A sweep that finds expired registrations still stored (a failed delete) tries again this much later, not at once. */
const SWEEP_RETRY_MS = 1000;
/** How many registrations found expired on start are removed at once (bounds the memory of that work). */
const EXPIRED_AT_START_CHUNK = 1000;

/**
 * The registrations of the LwM2M Server. The registration store owns them (and their expiry); memory holds an index
 * rebuilt from the store for the synchronous lookups, and one timer at the earliest expiry. Registrations are
 * published to the resource tree. Changes to one endpoint run one at a time.
 */
export class RegistrationService {
  private readonly registrations: RegistrationStore<Registration>;
  private readonly index = new RegistrationIndex();
  private readonly queue = new KeyedQueue();
  /** The mappings each indexed registration's device was published with; a replaced registration drops out with it. */
  private readonly publishedWith = new WeakMap<Registration, MappingSet>();
  private readonly expiry = new ExpiryTimer(() => void this.sweep());
  private readonly changeListeners: Array<(endpoint: string, change: RegistrationChange) => void> = [];
  private readonly awakeListeners: Array<(endpoint: string) => void> = [];
  private closed = false;

  private constructor(private readonly deps: RegistrationServiceDeps) {
    this.registrations = deps.store.registrations<Registration>(REGISTRATION_KIND);
  }

  /** Rebuilds the index from the store; registrations that expired while the proxy was down are removed and shown offline. */
  static async open(deps: RegistrationServiceDeps): Promise<RegistrationService> {
    await adoptLegacyRegistrations(deps.store);
    const service = new RegistrationService(deps);
    const now = Date.now();
    const expired: Registration[] = [];
    for (const registration of await service.registrations.list()) {
      if (expiresAt(registration, deps.graceSeconds) <= now) expired.push(registration);
      else service.cache(registration);
    }
    // Started together, a chunk's writes share commits (one each would be one fsync per registration).
    for (let start = 0; start < expired.length; start += EXPIRED_AT_START_CHUNK) {
      await Promise.all(expired.slice(start, start + EXPIRED_AT_START_CHUNK).map(async (registration) => {
        await service.registrations.delete(registration.endpoint, registration.id);
        await service.publishOffline(registration.endpoint);
      }));
    }
    deps.logger.info({ registrations: service.index.size }, 'LwM2M registrations loaded');
    return service;
  }

  get(endpoint: string): Registration | undefined {
    return this.index.get(endpoint);
  }

  byId(id: string): Registration | undefined {
    return this.index.byId(id);
  }

  list(): Registration[] {
    return this.index.list();
  }

  /** How many endpoints are registered now. */
  get count(): number {
    return this.index.size;
  }

  /** The registered endpoint whose latest Register/Update came from this address and port. */
  endpointAt(address: string, port: number): string | undefined {
    return this.index.endpointAt(address, port);
  }

  onChange(listener: (endpoint: string, change: RegistrationChange) => void): void {
    this.changeListeners.push(listener);
  }

  onAwake(listener: (endpoint: string) => void): void {
    this.awakeListeners.push(listener);
  }

  /**
   * A message from a registered client arrived: it is reachable now. The new lastSeen is a liveness hint kept in the
   * index only (not worth a write per datagram); after a rebuild it starts again from the latest Register/Update.
   */
  touch(endpoint: string): void {
    const registration = this.index.get(endpoint);
    if (!registration) return;
    registration.lastSeen = Date.now();
    this.emitAwake(endpoint);
  }

  /** Register; an existing registration of the endpoint is replaced (new location, the old one is gone). */
  register(params: RegisterParams, objects: RegisteredObjects, peer: Peer): Promise<Registration> {
    return this.queue.run(params.endpoint, async () => {
      const now = Date.now();
      const registration: Registration = {
        id: newRegistrationId(),
        endpoint: params.endpoint,
        address: peer.address,
        port: peer.port,
        version: params.version,
        binding: params.binding,
        queueMode: params.queueMode,
        lifetime: params.lifetime,
        ...(params.sms === undefined ? {} : { sms: params.sms }),
        ...objects,
        registeredAt: now,
        lastUpdate: now,
        lastSeen: now,
      };
      const previous = this.index.get(registration.endpoint);
      // A Register always refreshes the tree (reads, and writes what differs): a device's node removed meanwhile comes back.
      await this.saveAndPublish(registration, undefined);
      this.deps.logger.info(
        { endpoint: registration.endpoint, location: `/rd/${registration.id}`, version: registration.version, binding: registration.binding, lifetime: registration.lifetime, replaced: previous?.id },
        'LwM2M client registered',
      );
      this.emit(registration.endpoint, 'register');
      return registration;
    });
  }

  update(id: string, params: UpdateParams, objects: RegisteredObjects | undefined, peer: Peer): Promise<Registration> {
    return this.onRegistration(id, async (current) => {
      const now = Date.now();
      // A new object list replaces everything its links announce, including a `ct=` no longer given.
      const base: Registration = objects ? { ...current, preferredFormat: undefined } : current;
      const registration: Registration = { ...base, ...params, ...objects, address: peer.address, port: peer.port, lastUpdate: now, lastSeen: now };
      await this.saveAndPublish(registration, current);
      this.deps.logger.debug({ endpoint: registration.endpoint, ...params, objects: objects !== undefined }, 'LwM2M registration updated');
      this.emit(registration.endpoint, 'update');
      return registration;
    });
  }

  deregister(id: string): Promise<Registration> {
    return this.onRegistration(id, async (current) => {
      await this.remove(current);
      this.deps.logger.info({ endpoint: current.endpoint }, 'LwM2M client de-registered');
      this.emit(current.endpoint, 'deregister');
      return current;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.expiry.close();
    await this.queue.idle();
  }

  /** Runs `change` in the endpoint's queue if `id` still names a current registration; 4.04 otherwise. */
  private async onRegistration(id: string, change: (current: Registration) => Promise<Registration>): Promise<Registration> {
    const notFound = () => new Lwm2mRequestError('4.04', `no registration at /rd/${id}`);
    const endpoint = this.index.byId(id)?.endpoint;
    if (endpoint === undefined) throw notFound();
    return this.queue.run(endpoint, async () => {
      const current = this.index.get(endpoint);
      if (current?.id !== id) throw notFound();
      return change(current);
    });
  }

  /** Expires every registration whose lifetime and grace have passed, then waits for the next one the store holds. */
  private async sweep(): Promise<void> {
    const graceMs = this.deps.graceSeconds * 1000;
    try {
      const due = await this.registrations.expiringBy(Date.now() - graceMs);
      await Promise.all(due.map((registration) => this.expire(registration.endpoint)));
      const next = this.closed ? undefined : await this.registrations.nextExpiry();
      if (next === undefined || this.closed) return;
      // still due after this sweep: a delete failed, so try again a little later rather than at once
      this.expiry.armAt(next + graceMs > Date.now() ? next + graceMs : Date.now() + SWEEP_RETRY_MS);
    } catch (err) {
      this.deps.logger.error({ err }, 'LwM2M registration expiry failed');
      if (!this.closed) this.expiry.armAt(Date.now() + SWEEP_RETRY_MS);
    }
  }

  private expire(endpoint: string): Promise<void> {
    return this.queue.run(endpoint, async () => {
      const current = this.index.get(endpoint) ?? (await this.registrations.byEndpoint(endpoint));
      if (this.closed || !current || expiresAt(current, this.deps.graceSeconds) > Date.now()) return;
      this.deps.logger.info({ endpoint, lifetime: current.lifetime }, 'LwM2M registration expired');
      await this.remove(current);
      this.emit(endpoint, 'expire');
    }).catch((err: unknown) => this.deps.logger.error({ err, endpoint }, 'LwM2M registration expiry failed'));
  }

  /**
   * The registration and its device in the tree are written in the same commit batch (the tree's write is queued in
   * the same turn), so a Register or Update waits for one commit, not two. The store owns the registration: the index
   * and the expiry timer follow only once it is stored. When the device as published for `previous` (the registration
   * an Update replaces) stays the same -- same address, root and object links, same mappings, published without
   * error -- the tree is neither read nor written: the usual Update (lifetime, or just "still here") costs the
   * registration row only.
   */
  private async saveAndPublish(registration: Registration, previous: Registration | undefined): Promise<void> {
    const mappings = this.deps.mappings.current();
    const unchanged = previous !== undefined && this.publishedWith.get(previous) === mappings && sameDeviceView(previous, registration);
    const saved = this.registrations.put(registration, expiresAt(registration, 0));
    const published = unchanged || this.publish(registration, mappings);
    try {
      await saved;
    } catch (error) {
      // refused: the tree goes back to what the stored registration shows
      if (!unchanged && (await published)) await this.republish(previous, registration.endpoint);
      throw error;
    }
    if (await published) this.publishedWith.set(registration, mappings);
    this.cache(registration);
  }

  private async republish(previous: Registration | undefined, endpoint: string): Promise<void> {
    if (previous === undefined) return this.publishOffline(endpoint);
    const mappings = this.deps.mappings.current();
    if (await this.publish(previous, mappings)) this.publishedWith.set(previous, mappings);
  }

  private async remove(registration: Registration): Promise<void> {
    await this.registrations.delete(registration.endpoint, registration.id);
    this.index.delete(registration);
    this.deps.metrics.registrations.set(this.index.size);
    await this.publishOffline(registration.endpoint);
  }

  private cache(registration: Registration): void {
    this.index.set(registration);
    this.expiry.armAt(expiresAt(registration, this.deps.graceSeconds));
    this.deps.metrics.registrations.set(this.index.size);
  }

  /** The tree is a view: a failure to publish is logged (false) and never refuses the registration. */
  private async publish(registration: Registration, mappings: MappingSet): Promise<boolean> {
    try {
      await this.deps.directory.upsertDevice(discoveredDevice(registration, mappings));
      return true;
    } catch (err) {
      this.deps.logger.error({ err, endpoint: registration.endpoint }, 'could not publish the LwM2M device to the resource tree');
      return false;
    }
  }

  private async publishOffline(endpoint: string): Promise<void> {
    try {
      await this.deps.directory.setOnline('lwm2m', endpoint, false);
    } catch (err) {
      this.deps.logger.error({ err, endpoint }, 'could not mark the LwM2M device offline');
    }
  }

  private emit(endpoint: string, change: RegistrationChange): void {
    for (const listener of this.changeListeners) this.call(() => listener(endpoint, change), endpoint);
    if (change === 'register' || change === 'update') this.emitAwake(endpoint);
  }

  private emitAwake(endpoint: string): void {
    for (const listener of this.awakeListeners) this.call(() => listener(endpoint), endpoint);
  }

  private call(listener: () => void, endpoint: string): void {
    try {
      listener();
    } catch (err) {
      this.deps.logger.error({ err, endpoint }, 'LwM2M registration listener failed');
    }
  }
}

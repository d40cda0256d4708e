import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { Store } from '../../store/store.js';
import type { DeviceDirectory } from '../../core/device-directory.js';
import type { MappingService } from '../../mappings/types.js';
import type { Lwm2mMetrics } from '../lwm2m-metrics.js';
import { KeyedQueue } from '../keyed-queue.js';
import { Lwm2mRequestError } from '../request-error.js';
import { discoveredDevice } from './device-publication.js';
import { ExpirySchedule } from './expiry-schedule.js';
import type { RegisteredObjects } from './object-links.js';
import type { RegisterParams, UpdateParams } from './registration-params.js';
import { REGISTRATION_RECORD, expiresAt, type Registration } from './registration.js';

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

function peerKey(address: string, port: number): string {
  return `${address}|${port}`;
}

/**
 * The registrations of the LwM2M Server: kept in memory for lookups, persisted in the store, expired by one timer,
 * and published to the resource tree. Changes to one endpoint run one at a time.
 */
export class RegistrationService {
  private readonly byEndpoint = new Map<string, Registration>();
  private readonly endpointById = new Map<string, string>();
  private readonly endpointByPeer = new Map<string, string>();
  private readonly queue = new KeyedQueue();
  private readonly expiry = new ExpirySchedule((endpoint) => void this.expire(endpoint));
  private readonly changeListeners: Array<(endpoint: string, change: RegistrationChange) => void> = [];
  private readonly awakeListeners: Array<(endpoint: string) => void> = [];

  private constructor(private readonly deps: RegistrationServiceDeps) {}

  /** Loads the stored registrations; those that expired while the proxy was down are removed and shown offline. */
  static async open(deps: RegistrationServiceDeps): Promise<RegistrationService> {
    const service = new RegistrationService(deps);
    const now = Date.now();
    for (const { key, value } of await deps.store.listRecords<Registration>(REGISTRATION_RECORD)) {
      if (expiresAt(value, deps.graceSeconds) <= now) {
        await deps.store.deleteRecord(REGISTRATION_RECORD, key);
        await service.publishOffline(value.endpoint);
      } else {
        service.index(value);
      }
    }
    deps.logger.info({ registrations: service.byEndpoint.size }, 'LwM2M registrations loaded');
    return service;
  }

  get(endpoint: string): Registration | undefined {
    return this.byEndpoint.get(endpoint);
  }

  byId(id: string): Registration | undefined {
    const endpoint = this.endpointById.get(id);
    return endpoint === undefined ? undefined : this.byEndpoint.get(endpoint);
  }

  list(): Registration[] {
    return [...this.byEndpoint.values()];
  }

  /** The registered endpoint whose latest Register/Update came from this address and port. */
  endpointAt(address: string, port: number): string | undefined {
    return this.endpointByPeer.get(peerKey(address, port));
  }

  onChange(listener: (endpoint: string, change: RegistrationChange) => void): void {
    this.changeListeners.push(listener);
  }

  onAwake(listener: (endpoint: string) => void): void {
    this.awakeListeners.push(listener);
  }

  /** A message from a registered client arrived: it is reachable now. */
  touch(endpoint: string): void {
    const registration = this.byEndpoint.get(endpoint);
    if (!registration) return;
    registration.lastSeen = Date.now();
    this.emitAwake(endpoint);
  }

  /** Register; an existing registration of the endpoint is replaced (new location, the old one is gone). */
  register(params: RegisterParams, objects: RegisteredObjects, peer: Peer): Promise<Registration> {
    return this.queue.run(params.endpoint, async () => {
      const now = Date.now();
      const registration: Registration = {
        id: randomBytes(6).toString('base64url'),
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
      await this.deps.store.putRecord(REGISTRATION_RECORD, registration.endpoint, registration);
      const previous = this.byEndpoint.get(registration.endpoint);
      if (previous) this.unindex(previous);
      this.index(registration);
      await this.publish(registration);
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
      await this.deps.store.putRecord(REGISTRATION_RECORD, registration.endpoint, registration);
      this.unindex(current);
      this.index(registration);
      await this.publish(registration);
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
    this.expiry.close();
    await this.queue.idle();
  }

  /** Runs `change` in the endpoint's queue if `id` still names a current registration; 4.04 otherwise. */
  private async onRegistration(id: string, change: (current: Registration) => Promise<Registration>): Promise<Registration> {
    const notFound = () => new Lwm2mRequestError('4.04', `no registration at /rd/${id}`);
    const endpoint = this.endpointById.get(id);
    if (endpoint === undefined) throw notFound();
    return this.queue.run(endpoint, async () => {
      const current = this.byEndpoint.get(endpoint);
      if (current?.id !== id) throw notFound();
      return change(current);
    });
  }

  private expire(endpoint: string): Promise<void> {
    return this.queue.run(endpoint, async () => {
      const current = this.byEndpoint.get(endpoint);
      if (!current || expiresAt(current, this.deps.graceSeconds) > Date.now()) return;
      this.deps.logger.info({ endpoint, lifetime: current.lifetime }, 'LwM2M registration expired');
      await this.remove(current);
      this.emit(endpoint, 'expire');
    }).catch((err: unknown) => this.deps.logger.error({ err, endpoint }, 'LwM2M registration expiry failed'));
  }

  private async remove(registration: Registration): Promise<void> {
    await this.deps.store.deleteRecord(REGISTRATION_RECORD, registration.endpoint);
    this.unindex(registration);
    await this.publishOffline(registration.endpoint);
  }

  private index(registration: Registration): void {
    this.byEndpoint.set(registration.endpoint, registration);
    this.endpointById.set(registration.id, registration.endpoint);
    this.endpointByPeer.set(peerKey(registration.address, registration.port), registration.endpoint);
    this.expiry.set(registration.endpoint, expiresAt(registration, this.deps.graceSeconds));
    this.deps.metrics.registrations.set(this.byEndpoint.size);
  }

  private unindex(registration: Registration): void {
    this.byEndpoint.delete(registration.endpoint);
    this.endpointById.delete(registration.id);
    const key = peerKey(registration.address, registration.port);
    if (this.endpointByPeer.get(key) === registration.endpoint) this.endpointByPeer.delete(key);
    this.expiry.delete(registration.endpoint);
    this.deps.metrics.registrations.set(this.byEndpoint.size);
  }

  /** The tree is a view: a failure to publish is logged and never refuses the registration. */
  private async publish(registration: Registration): Promise<void> {
    try {
      await this.deps.directory.upsertDevice(discoveredDevice(registration, this.deps.mappings.current()));
    } catch (err) {
      this.deps.logger.error({ err, endpoint: registration.endpoint }, 'could not publish the LwM2M device to the resource tree');
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

/** What a registration store indexes of a device's registration; the rest of it is the owner's, stored as given (JSON). */
export interface DeviceRegistration {
  /** Unique per kind: a device has at most one registration. */
  endpoint: string;
  /** Registration id (e.g. the `/rd/<id>` location); unique per kind. */
  id: string;
  /** Source address and port of the device's latest message that refreshed the registration. */
  address: string;
  port: number;
}

/**
 * The registrations of one kind (one technology, e.g. `lwm2m`). Each is stored with the moment its lifetime ends, so
 * expiry can be found by asking the store. Every call is atomic; a value read is a copy.
 */
export interface RegistrationStore<T extends DeviceRegistration> {
  /**
   * Stores `registration` as its endpoint's only registration, replacing any previous one (whose id then no longer
   * resolves). `expiresAt`: epoch ms when its lifetime ends. An id held by another endpoint's registration is refused
   * with RegistrationConflictError and nothing is written.
   */
  put(registration: T, expiresAt: number): Promise<void>;
  byEndpoint(endpoint: string): Promise<T | undefined>;
  byId(id: string): Promise<T | undefined>;
  /** Of the registrations at this address and port (several endpoints may share one), the one put last. */
  byAddress(address: string, port: number): Promise<T | undefined>;
  /**
   * Deletes the endpoint's registration; with `id`, only while it is still that registration (a newer one put in
   * between is kept). True when one was deleted.
   */
  delete(endpoint: string, id?: string): Promise<boolean>;
  /** Every registration, ascending by endpoint in Unicode code point order. */
  list(): Promise<T[]>;
  /** The registrations whose lifetime ends at or before `time` (epoch ms), earliest end first. */
  expiringBy(time: number): Promise<T[]>;
  /** The earliest end of lifetime stored (epoch ms); undefined when there is no registration. */
  nextExpiry(): Promise<number | undefined>;
}

import type { DmCredentialStore } from './dm-credential-store.js';
import type { PendingOperationStore } from './pending-operation-store.js';
import type { RecordStore } from './record-store.js';
import type { DeviceRegistration, RegistrationStore } from './registration-store.js';
import type { ResourceStore } from './resource-store.js';

export type { StoredResource } from './resource-store.js';

/**
 * Persistence behind the proxy: the interfaces each part owns its state through. Embedded default: SQLite; later:
 * Redis shared by several instances. Each interface states its own promises and has a contract suite in test/store.
 */
export interface Store {
  readonly resources: ResourceStore;
  /** Device operations that complete later, and the answers of non-blocking requests. */
  readonly pendingOperations: PendingOperationStore;
  /** The records of one kind; a kind is a namespace, e.g. `lwm2m.bootstrap-config`. */
  records<T>(kind: string): RecordStore<T>;
  /** The registrations of one kind, e.g. `lwm2m`. */
  registrations<T extends DeviceRegistration>(kind: string): RegistrationStore<T>;
  /** OMA DM devices' credentials and nonces, per DevId. */
  readonly dmCredentials: DmCredentialStore;
  close(): Promise<void>;
}

import type { RecordStore } from '../../store/record-store.js';
import type { Store } from '../../store/store.js';

/** `request`: the Bootstrap-Request itself was refused (no configuration for the endpoint). */
export type BootstrapStage = 'request' | 'discover' | 'delete' | 'write' | 'finish' | 'cleanup';

/** The latest failed bootstrap of an endpoint, kept for the operator until a later bootstrap succeeds. */
export interface BootstrapFailure {
  endpoint: string;
  /** ISO time. */
  at: string;
  stage: BootstrapStage;
  /** CoAP code the client answered (for `request`: the code the Bootstrap Server answered), absent on a timeout. */
  code?: string;
  reason: string;
  /** `coap://address:port` the Bootstrap-Request came from. */
  client: string;
}

const FAILURE_RECORD = 'lwm2m.bootstrap-failure';

export class BootstrapFailureLog {
  private readonly records: RecordStore<BootstrapFailure>;

  constructor(store: Store) {
    this.records = store.records<BootstrapFailure>(FAILURE_RECORD);
  }

  record(failure: BootstrapFailure): Promise<void> {
    return this.records.put(failure.endpoint, failure);
  }

  async clear(endpoint: string): Promise<void> {
    await this.records.delete(endpoint);
  }

  async list(): Promise<BootstrapFailure[]> {
    return (await this.records.list()).map(({ value }) => value);
  }
}

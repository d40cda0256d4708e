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
  constructor(private readonly store: Store) {}

  record(failure: BootstrapFailure): Promise<void> {
    return this.store.putRecord(FAILURE_RECORD, failure.endpoint, failure);
  }

  async clear(endpoint: string): Promise<void> {
    await this.store.deleteRecord(FAILURE_RECORD, endpoint);
  }

  async list(): Promise<BootstrapFailure[]> {
    return (await this.store.listRecords<BootstrapFailure>(FAILURE_RECORD)).map(({ value }) => value);
  }
}

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
/** Any client may send a Bootstrap-Request under any name, so the failures kept are bounded: the oldest go first. */
export const MAX_BOOTSTRAP_FAILURES = 1000;

export class BootstrapFailureLog {
  private readonly records: RecordStore<BootstrapFailure>;

  constructor(store: Store, private readonly capacity = MAX_BOOTSTRAP_FAILURES) {
    this.records = store.records<BootstrapFailure>(FAILURE_RECORD);
  }

  async record(failure: BootstrapFailure): Promise<void> {
    if (!(await this.records.get(failure.endpoint))) {
      const kept = (await this.records.list()).map(({ value }) => value).sort((a, b) => a.at.localeCompare(b.at));
      for (const oldest of kept.slice(0, Math.max(0, kept.length - this.capacity + 1))) await this.records.delete(oldest.endpoint);
    }
    await this.records.put(failure.endpoint, failure);
  }

  async clear(endpoint: string): Promise<void> {
    await this.records.delete(endpoint);
  }

  async list(): Promise<BootstrapFailure[]> {
    return (await this.records.list()).map(({ value }) => value);
  }
}

import type { RecordStore } from '../../store/record-store.js';
import type { Store } from '../../store/store.js';
import { BOOTSTRAP_CONFIG_RECORD, isPattern, patternMatches, type BootstrapConfig, type StoredBootstrapConfig } from './bootstrap-config.js';

/** Bootstrap configurations in the store, by exact endpoint name or `*` pattern. */
export class BootstrapConfigStore {
  private readonly records: RecordStore<StoredBootstrapConfig>;

  constructor(store: Store) {
    this.records = store.records<StoredBootstrapConfig>(BOOTSTRAP_CONFIG_RECORD);
  }

  get(key: string): Promise<StoredBootstrapConfig | undefined> {
    return this.records.get(key);
  }

  async list(): Promise<StoredBootstrapConfig[]> {
    return (await this.records.list()).map(({ value }) => value);
  }

  async put(key: string, config: BootstrapConfig): Promise<StoredBootstrapConfig> {
    const stored: StoredBootstrapConfig = { endpoint: key, ...config, updatedAt: new Date().toISOString() };
    await this.records.put(key, stored);
    return stored;
  }

  delete(key: string): Promise<boolean> {
    return this.records.delete(key);
  }

  /** The configuration for a client: its exact name first, else the most specific (longest) matching pattern. */
  async find(endpoint: string): Promise<StoredBootstrapConfig | undefined> {
    const exact = await this.get(endpoint);
    if (exact && !isPattern(exact.endpoint)) return exact;
    const matching = (await this.list()).filter((config) => isPattern(config.endpoint) && patternMatches(config.endpoint, endpoint));
    return matching.sort((a, b) => b.endpoint.replaceAll('*', '').length - a.endpoint.replaceAll('*', '').length)[0];
  }
}

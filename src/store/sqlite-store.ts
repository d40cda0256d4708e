import type { Store } from './store.js';
export function openSqliteStore(_dataDir: string): Store {
  throw new Error('not implemented yet');
}

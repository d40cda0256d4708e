/**
 * Small keyed records of one kind (bootstrap configurations, bootstrap failures, ...), values stored as JSON.
 * Every call is atomic; a value read is a copy.
 */
export interface RecordStore<T> {
  get(key: string): Promise<T | undefined>;
  /** Inserts or replaces the record under `key`. */
  put(key: string, value: T): Promise<void>;
  /** True when there was a record to delete. */
  delete(key: string): Promise<boolean>;
  /** Every record of the kind, ascending by key in Unicode code point order. */
  list(): Promise<Array<{ key: string; value: T }>>;
}

/** Persistence behind the proxy. Embedded default: SQLite; later: Redis shared by several instances. Every call is atomic. */

export interface StoredResource {
  ri: string;
  /** Parent ri; '' for the CSEBase. */
  pi: string;
  ty: number;
  rn: string;
  /** Structured CSE-relative path, e.g. `proxy/node1/firmware`. */
  path: string;
  /** Wire attributes with short names (includes ri, rn, pi, ty, ct, lt, ...). */
  attrs: Record<string, unknown>;
  /** Data never shown on the wire (device protocol, exact endpoint, specialization, ...). */
  internal: Record<string, unknown>;
}

export interface Store {
  getResource(ri: string): Promise<StoredResource | undefined>;
  getResourceByPath(path: string): Promise<StoredResource | undefined>;
  listChildren(pi: string): Promise<StoredResource[]>;
  /** Insert or replace one resource. */
  putResource(resource: StoredResource): Promise<void>;
  /** Several writes in one transaction (all or nothing). */
  putResources(resources: StoredResource[], deleteRis?: string[]): Promise<void>;
  /** Delete a resource and all its descendants; returns the deleted ris. */
  deleteResource(ri: string): Promise<string[]>;

  /** Generic records for other parts (registrations, bootstrap configurations, queued commands...). */
  getRecord<T>(kind: string, key: string): Promise<T | undefined>;
  putRecord<T>(kind: string, key: string, value: T): Promise<void>;
  deleteRecord(kind: string, key: string): Promise<boolean>;
  listRecords<T>(kind: string): Promise<Array<{ key: string; value: T }>>;

  close(): Promise<void>;
}

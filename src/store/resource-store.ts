/** The oneM2M resource tree's persistence. Every promise a caller may rely on is stated here; implementations keep them all. */

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

/**
 * A condition checked in the same atomic step as a write (compare-and-set): when one fails, nothing is written and the
 * write rejects with ResourceConditionError. Callers read, compute, and write on the condition that what they read
 * still holds; on failure they read again.
 */
export type ResourceCondition =
  /** A resource with this ri is stored. */
  | { exists: string }
  /** The resource `unchanged.ri` is stored and deep-equal to `unchanged`: nobody wrote or deleted it since it was read. */
  | { unchanged: StoredResource }
  /** `childrenOf` has exactly the children `are` (in any order): none was added or removed since they were listed. */
  | { childrenOf: string; are: readonly string[] };

/**
 * Invariants of every ResourceStore:
 * - ri is unique; so is path, and so is rn among the children of one parent. A write that would break this is refused
 *   with ResourceConflictError and writes nothing: "create only if no sibling has this name" is a plain put.
 * - Every call is atomic: its writes and deletes all happen, or none does; readers never see half of one.
 * - A value read is the reader's own down to its attributes: changing its fields, or setting and removing keys of its
 *   `attrs` and `internal`, changes nothing stored. Values nested deeper (arrays, objects) may be shared between readers
 *   and frozen: replace them, never change them in place (no caller does; a cache hands out the same ones).
 */
export interface ResourceStore {
  getResource(ri: string): Promise<StoredResource | undefined>;
  getResourceByPath(path: string): Promise<StoredResource | undefined>;
  /**
   * The children of `pi` (`''`: the roots, i.e. the CSEBase) in creation order: the order in which each ri was first
   * written. Replacing a resource (same ri) keeps its place; a resource deleted and written again comes last.
   */
  listChildren(pi: string): Promise<StoredResource[]>;
  /** Inserts or replaces (same ri) one resource. */
  putResource(resource: StoredResource): Promise<void>;
  /**
   * One atomic write: first `conditions` are checked (ResourceConditionError when one fails), then the subtrees of
   * `deleteRis` are deleted (an ri not stored is ignored), then `resources` are put in order, so a resource can be
   * replaced under the same name in one call. Any failure writes nothing.
   */
  putResources(resources: StoredResource[], deleteRis?: readonly string[], conditions?: readonly ResourceCondition[]): Promise<void>;
  /** Deletes a resource and all its descendants atomically; returns the deleted ris ([] when `ri` is not stored). */
  deleteResource(ri: string): Promise<string[]>;
}

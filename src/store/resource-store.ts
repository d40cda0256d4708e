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

/** What a discovery needs of a resource to decide whether the originator sees it and to address it: no attributes. */
export type ResourceSummary = Pick<StoredResource, 'ri' | 'pi' | 'ty' | 'rn' | 'path'>;

/** One step of a scan over the descendants of a resource (any depth, the resource itself excluded) in creation order. */
export interface DescendantQuery {
  /** Path of the resource whose descendants are scanned. */
  under: string;
  /** Only these resource types (absent or empty: any). */
  ty?: readonly number[];
  /** Only resources whose `attrs.lbl` array holds one of these labels (absent or empty: any). */
  lbl?: readonly string[];
  /** Only resources whose `attrs.mgd` is one of these (absent or empty: any). */
  mgd?: readonly number[];
  /** Where the previous step stopped (its `next`); absent: from the first descendant. */
  after?: number;
  /** At most this many candidates are examined in this step, however few of them match: each step's work is bounded. */
  window: number;
  /**
   * Pass over this many matches of the step before returning any: they are counted, not read (a page far into the
   * results costs no reading of the pages before it). Absent: 0.
   */
  skip?: number;
}

export interface DescendantChunk {
  /** The matches among the candidates examined, in creation order. */
  matches: ResourceSummary[];
  /** Give it as `after` to continue; absent when the scan has reached the end. */
  next?: number;
  /** How many matches of this step were passed over for `skip` (at most `skip`); absent: none. */
  skipped?: number;
}

/** Where a scan of expired resources stopped: they come ordered by expiration, then creation. */
export interface ExpiryCursor {
  et: number;
  seq: number;
}

/** One bounded step of a scan over the resources whose `attrs.et` (expirationTime) is at or before `before`. */
export interface ExpiredQuery {
  /** Epoch seconds: resources whose et is at or before it. */
  before: number;
  /** Where the previous step stopped (its `next`); absent: from the earliest. */
  after?: ExpiryCursor;
  /** At most this many resources in this step. */
  limit: number;
}

export interface ExpiredChunk {
  /** Resources of any type (the caller decides which expire), earliest et first. */
  expired: StoredResource[];
  /** Give it as `after` to continue; absent when the scan has reached the end. */
  next?: ExpiryCursor;
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
  /** The `<node>`s (ty 14) whose `attrs.ni` is `ni`, in creation order; an index lookup, never a scan. */
  findNodesByNodeId(ni: string): Promise<StoredResource[]>;
  /**
   * One bounded step of a discovery scan (see DescendantQuery): a caller pages through a large tree in steps, doing other
   * work between them. Resources written after the scan started come after everything stored before (creation order);
   * a scan never returns one resource twice.
   */
  findDescendants(query: DescendantQuery): Promise<DescendantChunk>;
  /**
   * One bounded step of a scan over expired resources (see ExpiredQuery), through an index on the expiration: the
   * resources not expired are never read. An `et` that is no oneM2M timestamp never expires.
   */
  findExpired(query: ExpiredQuery): Promise<ExpiredChunk>;
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

/** Bounds on a decoded package: anything past them is refused (400/413) before it costs memory or stack. */
export interface Dm2Limits {
  /** Largest package (bytes). */
  maxBytes: number;
  /** Deepest nesting of JSON arrays and objects. */
  maxDepth: number;
  /** Most entries of one list (MOS, MIID, Alert, Status, URI, MO data). */
  maxItems: number;
  /** Longest URI, id or alert type (characters). */
  maxTextLength: number;
}

export const DEFAULT_DM2_LIMITS: Dm2Limits = { maxBytes: 1024 * 1024, maxDepth: 32, maxItems: 1000, maxTextLength: 4096 };

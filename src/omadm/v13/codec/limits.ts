/** Bounds on one decoded message; every one ends in a SyncmlDecodeError of kind `limit`, never a stall. */
export interface DecodeLimits {
  /** Largest message (bytes of XML). */
  maxBytes: number;
  /** Deepest element nesting in the whole document. */
  maxElementDepth: number;
  /** Deepest nesting of Atomic/Sequence inside each other (1 = a group without groups inside). */
  maxGroupDepth: number;
  /** Most commands in one message, nested ones included. */
  maxCommands: number;
  /** Most Items in one message. */
  maxItems: number;
}

// A DM message is bounded by the receiver's MaxMsgSize (libdmclient announces 16 KiB); 1 MiB leaves room
// for clients that ignore it (large-object chunks, a 31 KB libdmclient message) without letting a body grow the heap.
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxElementDepth: 24,
  maxGroupDepth: 4,
  maxCommands: 2000,
  maxItems: 10000,
});

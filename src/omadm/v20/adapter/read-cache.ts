/** Subtrees remembered at most, in all (the oldest go first; a forgotten one is merely read in full once more). */
const MAX_ENTRIES = 10_000;

/** What the device last sent for one GET: its cache validator and the leaves (path below the node -> text). */
export interface CachedRead {
  cv: string;
  leaves: Map<string, string>;
}

/**
 * The last values and cache validator of each subtree read, by device and ClientURI (reference §2: `cv=` in a later
 * GET gets 304 Not Modified when nothing changed; the values are then these). Held in memory: after a restart the
 * first read of each subtree is a full one.
 */
export class ReadCache {
  private readonly entries = new Map<string, CachedRead>();

  get(devId: string, clientUri: string): CachedRead | undefined {
    return this.entries.get(keyOf(devId, clientUri));
  }

  put(devId: string, clientUri: string, read: CachedRead): void {
    const key = keyOf(devId, clientUri);
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, read);
  }

  forget(devId: string, clientUri: string): void {
    this.entries.delete(keyOf(devId, clientUri));
  }
}

function keyOf(devId: string, clientUri: string): string {
  return `${devId}\n${clientUri}`;
}

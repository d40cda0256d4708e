/**
 * Which reads of a store overlapped which writes, key by key. A write marks the keys it names (ri and path of each
 * resource it puts) while it runs and again when it ends; a delete marks every key. A read that started before a mark
 * of one of its keys, or while a write of one of them ran, may have read the old state: a cache must not keep it.
 * Marks only matter to reads in flight: none is made while no read is in flight (a burst of writes, e.g. registrations,
 * keeps nothing), and the older ones are dropped as those reads end.
 */
export class WriteMarks {
  /** Advances with every mark: a mark newer than a read's start happened after the read began. */
  private clock = 0;
  private readonly markedAt = new Map<string, number>();
  private readonly writesOf = new Map<string, number>();
  private everyKeyMarkedAt = 0;
  private writesOfEveryKey = 0;
  /** Reads in flight by their start, oldest first (the clock never goes back, so insertion order is start order). */
  private readonly readsFrom = new Map<number, number>();
  private pruneAbove = 1024;

  static riKey(ri: string): string {
    return `ri ${ri}`;
  }

  static pathKey(path: string): string {
    return `path ${path}`;
  }

  /** Returns the read's start, for `unchangedSince` and `readEnded`. */
  readStarted(): number {
    const start = this.clock;
    this.readsFrom.set(start, (this.readsFrom.get(start) ?? 0) + 1);
    return start;
  }

  readEnded(start: number): void {
    const left = (this.readsFrom.get(start) ?? 1) - 1;
    if (left > 0) this.readsFrom.set(start, left);
    else this.readsFrom.delete(start);
    if (this.readsFrom.size === 0) this.markedAt.clear();
    else if (this.markedAt.size > this.pruneAbove) this.prune();
  }

  /** True when no write of any of `keys` (nor a delete) began, ran or ended since `start`. */
  unchangedSince(start: number, keys: readonly string[]): boolean {
    if (this.writesOfEveryKey > 0 || this.everyKeyMarkedAt > start) return false;
    return keys.every((key) => !this.writesOf.has(key) && (this.markedAt.get(key) ?? 0) <= start);
  }

  writeStarted(keys: readonly string[] | 'every key'): void {
    this.clock++;
    if (keys === 'every key') {
      this.writesOfEveryKey++;
      this.everyKeyMarkedAt = this.clock;
      return;
    }
    const marking = this.readsFrom.size > 0;
    for (const key of keys) {
      this.writesOf.set(key, (this.writesOf.get(key) ?? 0) + 1);
      if (marking) this.markedAt.set(key, this.clock);
    }
  }

  writeEnded(keys: readonly string[] | 'every key'): void {
    this.clock++;
    if (keys === 'every key') {
      this.writesOfEveryKey--;
      this.everyKeyMarkedAt = this.clock;
      return;
    }
    const marking = this.readsFrom.size > 0;
    for (const key of keys) {
      const left = (this.writesOf.get(key) ?? 1) - 1;
      if (left > 0) this.writesOf.set(key, left);
      else this.writesOf.delete(key);
      if (marking) this.markedAt.set(key, this.clock);
    }
    if (this.markedAt.size > this.pruneAbove) this.prune();
  }

  /** Drops the marks no read in flight can see (made before the oldest began). */
  private prune(): void {
    const oldest = this.readsFrom.keys().next().value ?? this.clock;
    for (const [key, at] of this.markedAt) if (at <= oldest) this.markedAt.delete(key);
    this.pruneAbove = Math.max(1024, 2 * this.markedAt.size);
  }
}

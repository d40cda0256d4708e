import { setTimeoutAt, type LongTimer } from '../../core/long-timer.js';

/** Deadlines per key behind one timer: a min-heap with lazy removal, so an Update costs O(log n) and no timer of its own. */
export class ExpirySchedule {
  private readonly due = new Map<string, number>();
  private heap: Array<{ at: number; key: string }> = [];
  private timer: LongTimer | undefined;
  private timerAt = Infinity;

  constructor(private readonly onExpire: (key: string) => void) {}

  set(key: string, at: number): void {
    this.due.set(key, at);
    this.push({ at, key });
    if (this.heap.length > 2 * this.due.size + 64) this.compact();
    this.arm();
  }

  delete(key: string): void {
    this.due.delete(key);
  }

  close(): void {
    this.timer?.clear();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const { at, key } = this.pop();
      if (this.due.get(key) !== at) continue;
      this.due.delete(key);
      this.onExpire(key);
    }
    this.arm();
  }

  private arm(): void {
    const next = this.heap[0]?.at;
    if (next === undefined || next >= this.timerAt) return;
    this.timer?.clear();
    this.timerAt = next;
    this.timer = setTimeoutAt(next, () => this.fire()).unref();
  }

  private compact(): void {
    this.heap = [];
    for (const [key, at] of this.due) this.push({ at, key });
  }

  private push(entry: { at: number; key: string }): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= heap[i].at) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): { at: number; key: string } {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left].at < heap[smallest].at) smallest = left;
        if (right < heap.length && heap[right].at < heap[smallest].at) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}

import { randomFillSync } from 'node:crypto';

/**
 * Random draws of a fixed size taken from a buffer refilled `drawsPerFill` draws at a time: one call into the system's
 * random source per fill instead of one per draw (a call per Register showed in the profiles).
 */
export class RandomPool {
  private readonly pool: Buffer;
  private next: number;

  constructor(private readonly bytesPerDraw: number, private readonly drawsPerFill = 1024) {
    this.pool = Buffer.alloc(bytesPerDraw * drawsPerFill);
    this.next = drawsPerFill;
  }

  /** The next `bytesPerDraw` random bytes in `encoding`. */
  draw(encoding: 'hex' | 'base64url'): string {
    const start = this.take();
    return this.pool.toString(encoding, start, start + this.bytesPerDraw);
  }

  /** Copies the next `bytesPerDraw` random bytes into `target` at `offset`. */
  drawInto(target: Buffer, offset: number): void {
    const start = this.take();
    this.pool.copy(target, offset, start, start + this.bytesPerDraw);
  }

  private take(): number {
    if (this.next === this.drawsPerFill) {
      randomFillSync(this.pool);
      this.next = 0;
    }
    return this.next++ * this.bytesPerDraw;
  }
}

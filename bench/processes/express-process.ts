import { BenchChild } from './bench-child.js';
import { BARE_EXPRESS } from './built-scripts.js';

/** The bare express baseline (bench/targets/bare-express.ts) in its own process, answering `body`. */
export class ExpressProcess {
  private constructor(private readonly child: BenchChild, readonly port: number) {}

  static async start(body: unknown): Promise<ExpressProcess> {
    const child = new BenchChild('bare express', [BARE_EXPRESS, JSON.stringify(body)]);
    try {
      const line = await child.waitForLine((text) => text.startsWith('{"listening"'), 'listening line', 20_000);
      return new ExpressProcess(child, (JSON.parse(line) as { listening: number }).listening);
    } catch (error) {
      await child.stop('SIGTERM', 5000);
      throw error;
    }
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): Promise<void> {
    return this.child.stop('SIGTERM', 5000);
  }
}

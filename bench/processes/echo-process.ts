import { BenchChild } from './bench-child.js';
import { HTTP_ECHO } from './built-scripts.js';

/** The HTTP echo baseline (bench/targets/http-echo.ts) in its own process, answering step i with `sizes[i]` bytes. */
export class EchoProcess {
  private constructor(private readonly child: BenchChild, readonly port: number) {}

  static async start(sizes: number[]): Promise<EchoProcess> {
    const child = new BenchChild('http echo', [HTTP_ECHO, JSON.stringify(sizes)]);
    try {
      const line = await child.waitForLine((text) => text.startsWith('{"listening"'), 'listening line', 20_000);
      return new EchoProcess(child, (JSON.parse(line) as { listening: number }).listening);
    } catch (error) {
      await child.stop('SIGTERM', 5000);
      throw error;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return this.child.stop('SIGTERM', 5000);
  }
}

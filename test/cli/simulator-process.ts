import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built CLI (tests run from dist/test/cli). */
export const CLI = fileURLToPath(new URL('../../src/cli/dm-proxy.js', import.meta.url));

export type SimLine = { event: string; endpoint: string; [detail: string]: unknown };

/** `dm-proxy simulate …` as a child process, its stdout read as JSON lines. */
export class SimulatorProcess {
  readonly lines: SimLine[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as SimLine);
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first line (from the start) that matches; rejects after `timeoutMs` with what was seen. */
  waitFor(match: (line: SimLine) => boolean, what: string, timeoutMs = 20_000): Promise<SimLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.find(match);
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} within ${timeoutMs} ms; lines: ${this.lines.map((line) => JSON.stringify(line)).join('\n')}\nstderr: ${this.stderr}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends the signal and resolves with the exit code (rejects after `timeoutMs`). */
  async stop(signal: NodeJS.Signals = 'SIGINT', timeoutMs = 20_000): Promise<number | null> {
    this.child.kill(signal);
    return this.exit(timeoutMs);
  }

  exit(timeoutMs = 20_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the simulator did not exit within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Ends the process whatever state it is in (test clean-up). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Every child still running, so that a failing or interrupted bench can end them all. */
const running = new Set<BenchChild>();

/** A node script run as its own process, its stdout read as lines, its stderr kept for error messages. */
export class BenchChild {
  readonly lines: string[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();
  private hasExited = false;

  /** `stdin`: the child reads lines written with `send`; otherwise its stdin is closed. */
  constructor(readonly name: string, args: string[], env: Record<string, string> = {}, stdin = false) {
    this.child = spawn(process.execPath, args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    running.add(this);
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-8000)));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.hasExited = true;
        running.delete(this);
        this.wake();
        resolve(code);
      }),
    );
  }

  get ended(): boolean {
    return this.hasExited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the first stdout line (from the start) that `match` accepts; rejects on exit or after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.find(match);
        if (found !== undefined) return finish(() => resolve(found));
        if (this.hasExited) finish(() => reject(this.failure(`exited before ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(this.failure(`no ${what} within ${timeoutMs} ms`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves with the exit code once the process ends by itself; rejects (and kills it) after `timeoutMs`. */
  async exit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(this.failure(`did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Asks the process to stop (`signal`), and kills it when it has not exited within `graceMs`. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (this.hasExited) return;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.exited, grace]).finally(() => clearTimeout(timer));
    if (!this.hasExited) {
      this.kill();
      await this.exited;
    }
  }

  /** Writes one line to the child's stdin (a child started with `stdin`). */
  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  kill(): void {
    if (!this.hasExited) this.child.kill('SIGKILL');
  }

  failure(what: string): Error {
    return new Error(`${this.name} (pid ${this.pid}) ${what}; stderr: ${this.stderr.trim() || '(empty)'}`);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Kills every child still running (a failed scenario, an interrupted bench, the bench process exiting). */
export function killAllChildren(): void {
  for (const child of running) child.kill();
}

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (tests run from dist/test/mappings). */
export const CLI = fileURLToPath(new URL('../../src/cli/dm-proxy.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dm-proxy.js …` as an operator would; never rejects on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Parses one JSON object per output line. */
export function jsonLines(stdout: string): unknown[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
}

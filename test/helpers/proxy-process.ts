import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built entry `npm start` runs (tests run from dist/test/helpers). */
export const PROXY_MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

const START_LIMIT_MS = 60_000;
const STOP_LIMIT_MS = 20_000;
const KEPT_LOG_LINES = 200;

export interface ProxyProcess {
  child: ChildProcess;
  dataDir: string;
  /** Port of each listener the proxy logged in `proxy started` (`http`, `omadm-http`, `lwm2m-server`, ...). */
  ports: Record<string, number>;
  /** The last log lines (JSON text), for failure messages. */
  log: string[];
  /** SIGTERM, then SIGKILL when it has not exited within 20 s; removes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The proxy as `npm start` runs it (`node dist/src/main.js`), on free loopback ports and a fresh data dir; resolves once
 * it logged `proxy started`.
 */
export async function startProxyProcess(env: Record<string, string> = {}): Promise<ProxyProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-process-'));
  const child = spawn(process.execPath, [PROXY_MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', HTTP_PORT: '0', COAP_PORT: '0', BOOTSTRAP_PORT: '0', DM_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const log: string[] = [];
  const keep = (line: string): void => {
    log.push(line);
    if (log.length > KEPT_LOG_LINES) log.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
        await exited;
        clearTimeout(timer);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const started = new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the proxy did not log "proxy started" within ${START_LIMIT_MS} ms:\n${log.join('\n')}`)), START_LIMIT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; listeners?: Array<{ name: string; port: number }> };
      if (entry.msg !== 'proxy started') return;
      clearTimeout(timer);
      resolve(Object.fromEntries((entry.listeners ?? []).map((listener) => [listener.name, listener.port])));
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the proxy exited before it started (code ${child.exitCode}):\n${log.join('\n')}`));
    });
  });
  try {
    return { child, dataDir, ports: await started, log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

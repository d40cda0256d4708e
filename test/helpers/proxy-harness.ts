import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/core/config.js';
import { startProxy, type RunningProxy } from '../../src/app.js';
import { checkXmlAnswer } from './strict-xml.js';

export interface TestProxy extends RunningProxy {
  dataDir: string;
  url(path: string): string;
  /** oneM2M request with the default originator and a fresh request id. */
  request(method: string, path: string, options?: { body?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Stops the proxy; the data dir stays for a restart unless `removeData`. */
  stop(removeData?: boolean): Promise<void>;
}

let requestCounter = 0;

/** Starts the whole proxy in-process on ephemeral loopback ports with its own data dir. */
export async function startTestProxy(env: Record<string, string> = {}, dataDir?: string): Promise<TestProxy> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'dm-proxy-'));
  const config = loadConfig({
    HTTP_PORT: '0',
    COAP_PORT: '0',
    BOOTSTRAP_PORT: '0',
    DM_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const proxy = await startProxy(config, pino({ level: config.logLevel }));
  const url = (path: string) => `http://127.0.0.1:${proxy.httpPort}${path}`;
  return {
    ...proxy,
    dataDir: dir,
    url,
    request(method, path, options = {}) {
      return fetch(url(path), {
        method,
        body: options.body,
        headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': `rqi-${++requestCounter}`, ...options.headers },
      }).then(checkXmlAnswer);
    },
    async stop(removeData = false) {
      await proxy.close();
      if (removeData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

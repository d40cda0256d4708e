import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadSettings, startProxy, type ProxySettings, type RunningProxy } from '../../src/app.js';
import type { TechnologyModule } from '../../src/core/technology-module.js';
import { TECHNOLOGY_MODULES, type ModuleDeps } from '../../src/modules.js';
import { checkXmlAnswer } from './strict-xml.js';

export interface TestProxy extends RunningProxy {
  dataDir: string;
  /** Ports of the `http`, `lwm2m-server` and `lwm2m-bootstrap` listeners (NaN for one the module list does not start). */
  httpPort: number;
  coapPort: number;
  bootstrapPort: number;
  url(path: string): string;
  /** oneM2M request with the default originator and a fresh request id. */
  request(method: string, path: string, options?: { body?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Stops the proxy; the data dir stays for a restart unless `removeData`. */
  stop(removeData?: boolean): Promise<void>;
}

let requestCounter = 0;

async function startProxyIn(dir: string, env: Record<string, string>, modules: ReadonlyArray<TechnologyModule<ModuleDeps>>, openStore?: ProxySettings['openStore']): Promise<RunningProxy> {
  const settings = loadSettings({
    HTTP_PORT: '0',
    COAP_PORT: '0',
    BOOTSTRAP_PORT: '0',
    DM_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    ...env,
  }, modules);
  return startProxy({ ...settings, openStore }, pino({ level: settings.config.logLevel }));
}

/** Starts the whole proxy in-process on ephemeral loopback ports with its own data dir. */
export async function startTestProxy(
  env: Record<string, string> = {},
  dataDir?: string,
  modules: ReadonlyArray<TechnologyModule<ModuleDeps>> = TECHNOLOGY_MODULES,
  /** Another store than SQLite in the data dir (e.g. one that counts its reads). */
  openStore?: ProxySettings['openStore'],
): Promise<TestProxy> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'dm-proxy-'));
  let proxy: RunningProxy;
  try {
    proxy = await startProxyIn(dir, env, modules, openStore);
  } catch (error) {
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = (listener: string) => proxy.listeners[listener]?.port ?? NaN;
  const url = (path: string) => `http://127.0.0.1:${port('http')}${path}`;
  return {
    ...proxy,
    dataDir: dir,
    httpPort: port('http'),
    coapPort: port('lwm2m-server'),
    bootstrapPort: port('lwm2m-bootstrap'),
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

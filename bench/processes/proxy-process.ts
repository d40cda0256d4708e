import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchChild } from './bench-child.js';
import { PROXY_MAIN } from './built-scripts.js';
import { freeTcpPort, freeUdpPort } from './free-port.js';

const START_TIMEOUT_MS = 30_000;
const HEALTH_POLL_MS = 100;
let setupRequests = 0;

/** The proxy (`node dist/src/main.js`) in its own process, on loopback ports picked for it, with a temporary DATA_DIR. */
export class ProxyProcess {
  private constructor(
    private readonly child: BenchChild,
    private readonly dataDir: string,
    readonly httpPort: number,
    readonly coapPort: number,
  ) {}

  static async start(): Promise<ProxyProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-bench-'));
    const [httpPort, dmPort, coapPort, bootstrapPort] = [await freeTcpPort(), await freeTcpPort(), await freeUdpPort(), await freeUdpPort()];
    const child = new BenchChild('proxy', [PROXY_MAIN], {
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      DM_PORT: String(dmPort),
      COAP_PORT: String(coapPort),
      BOOTSTRAP_PORT: String(bootstrapPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    const proxy = new ProxyProcess(child, dataDir, httpPort, coapPort);
    try {
      await proxy.waitUntilHealthy();
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.httpPort}${path}`;
  }

  /** An admin / setup request as CAdmin (not measured). */
  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    return fetch(this.url(path), {
      method,
      body: init.body,
      headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': `bench-setup-${++setupRequests}`, Accept: 'application/json', ...init.headers },
    });
  }

  /** SIGTERM (the proxy lets requests in flight finish), SIGKILL if it lingers; then its data dir goes. */
  async stop(): Promise<void> {
    await this.child.stop('SIGTERM', 10_000);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.child.ended) throw this.child.failure('exited before it was healthy');
      try {
        const response = await fetch(this.url('/healthz'));
        await response.arrayBuffer();
        if (response.status === 200) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(HEALTH_POLL_MS);
    }
    throw this.child.failure(`was not healthy within ${START_TIMEOUT_MS} ms (last /healthz: ${last})`);
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchChild } from './bench-child.js';
import { PROXY_MAIN, PROXY_PROBE } from './built-scripts.js';
import { freeTcpPort, freeUdpPort } from './free-port.js';

const START_TIMEOUT_MS = 120_000;
const HEALTH_POLL_MS = 20;
let setupRequests = 0;

/** What the probe preloaded into the proxy process reports (bench/targets/proxy-probe.ts). */
export interface ProxyProbe {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** False when the process could not collect garbage (no --expose-gc): memory figures are then not after a GC. */
  gc: boolean;
  /** Longest event loop block since the previous probe (wall time: includes time the OS ran other processes). */
  maxEventLoopBlockMs: number;
  /** Most CPU time the main thread used between two 1 ms ticks since the previous probe: its longest synchronous stretch. */
  maxEventLoopBlockCpuMs: number;
}

export interface ProxyOptions {
  /** Extra environment (settings) for the proxy. */
  env?: Record<string, string>;
  /** Runs on the (empty) data dir with the proxy's environment before the proxy starts, e.g. to seed its store. */
  prepare?: (dataDir: string, env: Record<string, string>) => Promise<void>;
}

/**
 * The proxy (`node dist/src/main.js`) in its own process, on loopback ports picked for it, with a temporary DATA_DIR,
 * and the bench probe preloaded (memory after a forced GC, event loop blocks).
 */
export class ProxyProcess {
  private constructor(
    private child: BenchChild,
    private readonly env: Record<string, string>,
    readonly dataDir: string,
    readonly httpPort: number,
    readonly coapPort: number,
    private readonly probePort: number,
  ) {}

  static async start(options: ProxyOptions = {}): Promise<ProxyProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'dm-proxy-bench-'));
    const [httpPort, dmPort, coapPort, bootstrapPort, probePort] = [await freeTcpPort(), await freeTcpPort(), await freeUdpPort(), await freeUdpPort(), await freeTcpPort()];
    const env = {
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      DM_PORT: String(dmPort),
      COAP_PORT: String(coapPort),
      BOOTSTRAP_PORT: String(bootstrapPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BENCH_PROBE_PORT: String(probePort),
      ...options.env,
    };
    if (options.prepare) {
      try {
        await options.prepare(dataDir, env);
      } catch (error) {
        rmSync(dataDir, { recursive: true, force: true });
        throw error;
      }
    }
    const proxy = new ProxyProcess(ProxyProcess.spawn(env), env, dataDir, httpPort, coapPort, probePort);
    try {
      await proxy.waitUntilHealthy();
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  /** `BENCH_PROXY_NODE_ARGS` (space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) go to the proxy's node. */
  private static spawn(env: Record<string, string>): BenchChild {
    const nodeArgs = process.env.BENCH_PROXY_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
    return new BenchChild('proxy', [...nodeArgs, '--expose-gc', '--import', PROXY_PROBE, PROXY_MAIN], env);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.httpPort}${path}`;
  }

  /** The DM server's port (DM_PORT; DM devices post to /dm there). */
  get dmPort(): number {
    return Number(this.env.DM_PORT);
  }

  /** An admin / setup request as CAdmin (not measured). */
  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    return fetch(this.url(path), {
      method,
      body: init.body,
      headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': `bench-setup-${++setupRequests}`, Accept: 'application/json', ...init.headers },
    });
  }

  /** The process's memory (after a forced GC when `gc`) and its longest event loop block since the previous probe. */
  async probe(gc = false): Promise<ProxyProbe> {
    const response = await fetch(`http://127.0.0.1:${this.probePort}/probe${gc ? '?gc=1' : ''}`);
    if (response.status !== 200) throw new Error(`the proxy probe answered HTTP ${response.status}`);
    return (await response.json()) as ProxyProbe;
  }

  /**
   * Stops the proxy (SIGTERM) and starts it again on the same data and ports; resolves with the ms until it is healthy.
   * `whileStopped` runs in between (e.g. to measure the data dir after a clean close).
   */
  async restart(whileStopped?: () => void): Promise<number> {
    await this.child.stop('SIGTERM', 30_000);
    whileStopped?.();
    const started = performance.now();
    this.child = ProxyProcess.spawn(this.env);
    await this.waitUntilHealthy();
    return performance.now() - started;
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

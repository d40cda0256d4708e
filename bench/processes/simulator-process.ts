import { BenchChild } from './bench-child.js';
import { DM_PROXY_CLI } from './built-scripts.js';

const REGISTER_TIMEOUT_MS = 30_000;

/** `dm-proxy simulate lwm2m --count N` in its own process: devices `<endpoint>-1` … `<endpoint>-N`, all registered. */
export class SimulatorProcess {
  private constructor(private readonly child: BenchChild, readonly endpoints: string[]) {}

  static async start(endpoint: string, count: number, coapPort: number): Promise<SimulatorProcess> {
    const endpoints = Array.from({ length: count }, (_, index) => `${endpoint}-${index + 1}`);
    const child = new BenchChild('simulator', [DM_PROXY_CLI, 'simulate', 'lwm2m', '--endpoint', endpoint, '--count', String(count), '--server', `coap://127.0.0.1:${coapPort}`, '--lifetime', '3600']);
    const simulator = new SimulatorProcess(child, endpoints);
    try {
      for (const name of endpoints) await child.waitForLine((line) => isRegistered(line, name), `"registered" line of ${name}`, REGISTER_TIMEOUT_MS);
    } catch (error) {
      await simulator.stop();
      throw error;
    }
    return simulator;
  }

  /** SIGINT: the devices de-register, then the process exits. */
  stop(): Promise<void> {
    return this.child.stop('SIGINT', 10_000);
  }
}

function isRegistered(line: string, endpoint: string): boolean {
  try {
    const event = JSON.parse(line) as { event?: unknown; endpoint?: unknown };
    return event.event === 'registered' && event.endpoint === endpoint;
  } catch {
    return false;
  }
}

import { startTestProxy } from '../test/helpers/proxy-harness.js';
import { startSimulatedDevice, type SimulatedDevice } from '../src/sim/lwm2m/index.js';
import { ratios, summarize } from './stats.js';

const CONCURRENCY = 8;

/** Runs `rounds` rounds of CONCURRENCY simultaneous Retrieves, the i-th going to nodes[i % nodes.length]. */
async function rounds(count: number, retrieve: (node: string) => Promise<void>, nodes: string[]) {
  const durations: number[] = [];
  const start = performance.now();
  for (let round = 0; round < count; round++) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => {
        const before = performance.now();
        await retrieve(nodes[i % nodes.length]);
        durations.push(performance.now() - before);
      }),
    );
  }
  return summarize(durations, performance.now() - start);
}

/**
 * Eight simultaneous Retrieves spread over eight devices against the same eight aimed at one device, whose requests
 * the proxy must send one at a time (NSTART = 1): how much the per-endpoint queue costs, and that endpoints run in parallel.
 */
export async function eightDevicesVersusOne(roundCount: number): Promise<Record<string, unknown>> {
  const proxy = await startTestProxy({ LOG_LEVEL: 'silent' });
  const devices: SimulatedDevice[] = [];
  try {
    for (let i = 0; i < CONCURRENCY; i++) {
      const device = await startSimulatedDevice({ endpoint: `urn:bench:fleet-${i}`, server: { host: '127.0.0.1', port: proxy.coapPort } });
      devices.push(device);
      await device.register();
    }
    const nodes = devices.map((_, i) => `/proxy/bench:fleet-${i}/battery`);
    const retrieve = async (path: string) => {
      const response = await proxy.request('GET', path, { headers: { Accept: 'application/json' } });
      await response.arrayBuffer();
      if (response.headers.get('x-m2m-rsc') !== '2000') throw new Error(`proxy answered ${response.headers.get('x-m2m-rsc')}`);
    };
    await rounds(10, retrieve, nodes);
    const baseline = await rounds(roundCount, retrieve, nodes.slice(0, 1));
    const subject = await rounds(roundCount, retrieve, nodes);
    return { scenario: 'eight-concurrent-retrieves-eight-devices-vs-one-device', baseline, subject, ratio: ratios(subject, baseline) };
  } finally {
    for (const device of devices) device.close();
    await proxy.stop(true);
  }
}

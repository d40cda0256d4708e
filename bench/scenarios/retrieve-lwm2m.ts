import { nodeNameForDevice } from '../../src/onem2m/resources/device-node-naming.js';
import type { LoadTarget } from '../load/load-spec.js';
import { loadRun } from '../processes/load-run.js';
import { ProxyProcess } from '../processes/proxy-process.js';
import { SimulatorProcess } from '../processes/simulator-process.js';
import { interleavedRounds, roundFigures } from '../rounds.js';
import { rounded } from '../stats.js';
import { directReadTarget } from './direct-read-target.js';
import type { Scenario } from './scenario.js';

const DEVICE_COUNTS = [1, 10];
const CONCURRENCIES = [1, 10];

/**
 * oneM2M Retrieve of `deviceInfo` through the proxy against the direct CoAP read of `/3/0` the proxy makes for it, from
 * the same simulated devices: what the proxy adds to one device round trip. One line per device count and concurrency.
 */
export const retrieveLwm2m: Scenario = async (settings, emit) => {
  for (const devices of DEVICE_COUNTS) {
    const proxy = await ProxyProcess.start();
    let simulator: SimulatorProcess | undefined;
    try {
      simulator = await SimulatorProcess.start('urn:bench:device', devices, proxy.coapPort);
      const viaProxy: LoadTarget[] = simulator.endpoints.map((endpoint) => ({
        kind: 'http',
        url: proxy.url(`/proxy/${nodeNameForDevice(endpoint)}/deviceInfo`),
        headers: { 'X-M2M-Origin': 'CAdmin', Accept: 'application/json' },
        expectRsc: '2000',
      }));
      const direct = await Promise.all(simulator.endpoints.map((endpoint) => directReadTarget(proxy, endpoint, [3, 0])));
      for (const concurrency of CONCURRENCIES) {
        const rounds = await interleavedRounds(settings.rounds, loadRun(settings, viaProxy, concurrency), loadRun(settings, direct, concurrency));
        emit({
          scenario: 'retrieve-lwm2m',
          devices,
          concurrency,
          requestsPerRound: settings.requests,
          rounds: rounds.length,
          baselineAccept: direct[0].accept,
          ...roundFigures(rounds, {
            proxyRps: (round) => round.subject.rps,
            baselineRps: (round) => round.baseline.rps,
            ratio: (round) => rounded(round.subject.rps / round.baseline.rps),
            proxyP50Ms: (round) => round.subject.p50Ms,
            proxyP99Ms: (round) => round.subject.p99Ms,
            addedP50Ms: (round) => rounded(round.subject.p50Ms - round.baseline.p50Ms),
          }),
          raw: rounds.map((round) => ({ proxy: round.subject, baseline: round.baseline })),
        });
      }
    } finally {
      await simulator?.stop();
      await proxy.stop();
    }
  }
};


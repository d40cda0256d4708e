import type { LoadTarget } from '../load/load-spec.js';
import { ExpressProcess } from '../processes/express-process.js';
import { loadRun } from '../processes/load-run.js';
import { ProxyProcess } from '../processes/proxy-process.js';
import { interleavedRounds, roundFigures } from '../rounds.js';
import { rounded } from '../stats.js';
import type { Scenario } from './scenario.js';

const CONCURRENCY = 10;
const NODE = { 'm2m:nod': { rn: 'bench-node', ni: 'urn:bench:node', lbl: ['bench'] } };
const HEADERS = { 'X-M2M-Origin': 'CAdmin', Accept: 'application/json' };

/**
 * Retrieve of a stored `<node>` (rcn=1, no device involved) against a bare express app in its own process answering
 * the same JSON: what the proxy's HTTP front door costs over the framework it is built on.
 */
export const httpFrontDoor: Scenario = async (settings, emit) => {
  const proxy = await ProxyProcess.start();
  let express: ExpressProcess | undefined;
  try {
    const created = await proxy.request('POST', '/proxy', { body: JSON.stringify(NODE), headers: { 'Content-Type': 'application/json;ty=14' } });
    if (created.headers.get('x-m2m-rsc') !== '2001') throw new Error(`creating the bench <node> answered ${created.status} ${await created.text()}`);
    const path = '/proxy/bench-node?rcn=1';
    const stored = await proxy.request('GET', path);
    if (stored.headers.get('x-m2m-rsc') !== '2000') throw new Error(`retrieving the bench <node> answered ${stored.status}`);
    express = await ExpressProcess.start(await stored.json());
    const target = (url: string): LoadTarget[] => [{ kind: 'http', url, headers: HEADERS, expectRsc: '2000' }];
    const rounds = await interleavedRounds(settings.rounds, loadRun(settings, target(proxy.url(path)), CONCURRENCY), loadRun(settings, target(express.url(path)), CONCURRENCY));
    emit({
      scenario: 'http-front-door',
      concurrency: CONCURRENCY,
      requestsPerRound: settings.requests,
      rounds: rounds.length,
      ...roundFigures(rounds, {
        proxyRps: (round) => round.subject.rps,
        expressRps: (round) => round.baseline.rps,
        ratio: (round) => rounded(round.subject.rps / round.baseline.rps),
        proxyP50Ms: (round) => round.subject.p50Ms,
        expressP50Ms: (round) => round.baseline.p50Ms,
      }),
      raw: rounds.map((round) => ({ proxy: round.subject, express: round.baseline })),
    });
  } finally {
    await express?.stop();
    await proxy.stop();
  }
};

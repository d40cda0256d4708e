import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadSpec } from '../load/load-spec.js';
import { runLoad } from '../processes/load-run.js';
import { ProxyProcess } from '../processes/proxy-process.js';
import { interleavedRounds, roundFigures } from '../rounds.js';
import { seedNodes, type SeededNodes } from '../seed/seed-nodes.js';
import { rounded } from '../stats.js';
import type { Scenario } from './scenario.js';

const HEADERS = { 'X-M2M-Origin': 'CAdmin', Accept: 'application/json' };
const PAGE = 100;
const SEED_TIMEOUT_MS = 600_000;
const HEALTHZ_POLL_MS = 10;
/** Start-up work (a new index on an existing table, loading what is stored) may still run after /healthz says 200. */
const SETTLED_BLOCK_MS = 20;
const SETTLE_POLL_MS = 500;
const SETTLE_TIMEOUT_MS = 60_000;

/** Waits until the proxy's event loop has not been blocked longer than SETTLED_BLOCK_MS for one poll interval. */
async function settled(proxy: ProxyProcess): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  await proxy.probe();
  do {
    await sleep(SETTLE_POLL_MS);
    if ((await proxy.probe()).maxEventLoopBlockMs <= SETTLED_BLOCK_MS) return;
  } while (Date.now() < deadline);
  throw new Error(`the proxy's event loop was still blocked more than ${SETTLED_BLOCK_MS} ms at a time ${SETTLE_TIMEOUT_MS} ms after it started`);
}

/** Sequential `/healthz` requests until stopped; the longest answer time is what a discovery costs everyone else. */
function watchHealthz(proxy: ProxyProcess): { stop(): Promise<{ healthzMaxMs: number; healthzChecks: number }> } {
  let stopped = false;
  let maxMs = 0;
  let checks = 0;
  const watching = (async () => {
    while (!stopped) {
      const started = performance.now();
      const response = await fetch(proxy.url('/healthz'));
      await response.arrayBuffer();
      maxMs = Math.max(maxMs, performance.now() - started);
      checks++;
      await sleep(HEALTHZ_POLL_MS);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await watching;
      return { healthzMaxMs: rounded(maxMs), healthzChecks: checks };
    },
  };
}

/**
 * `GET /proxy?fu=1&ty=14&lim=100` (the first page) and the same page at `ofst` half-way through, over a store seeded
 * with N LwM2M devices (a `<node>` and three `<mgmtObj>`s each) by the node seeder before the proxy starts. During the
 * first round one discovery without `lim` runs too and `/healthz` is polled; the proxy's probe gives its longest event
 * loop block over all the discovery load.
 */
export const discovery: Scenario = async (settings, emit) => {
  const nodes = settings.quick ? 2_000 : 100_000;
  const requests = settings.quick ? 20 : 100;
  let seeded: SeededNodes | undefined;
  const proxy = await ProxyProcess.start({ prepare: async (dataDir, env) => void (seeded = await seedNodes(dataDir, nodes, env, SEED_TIMEOUT_MS)) });
  try {
    const offset = Math.floor(nodes / 2);
    const firstPage = `/proxy?fu=1&ty=14&lim=${PAGE}`;
    const laterPage = `${firstPage}&ofst=${offset}`;
    for (const path of [firstPage, laterPage]) {
      const answer = await proxy.request('GET', path);
      const uris = ((await answer.json()) as { 'm2m:uril'?: string[] })['m2m:uril'];
      if (answer.headers.get('x-m2m-rsc') !== '2000' || uris?.length !== PAGE) throw new Error(`${path} answered ${answer.status} with ${uris?.length} addresses`);
    }
    const spec = (path: string): LoadSpec => ({
      targets: [{ kind: 'http', url: proxy.url(path), headers: HEADERS, expectRsc: '2000' }],
      requests, warmup: 5, concurrency: 1, timeoutMs: settings.runTimeoutMs,
    });
    await settled(proxy);
    const healthz = watchHealthz(proxy);
    let unlimited: Promise<{ unlimitedMs: number; unlimitedCount: number }> | undefined;
    const rounds = await interleavedRounds(
      settings.rounds,
      () => {
        unlimited ??= (async () => {
          const started = performance.now();
          const answer = await proxy.request('GET', '/proxy?fu=1&ty=14');
          const uris = ((await answer.json()) as { 'm2m:uril'?: string[] })['m2m:uril'] ?? [];
          return { unlimitedMs: rounded(performance.now() - started), unlimitedCount: uris.length };
        })();
        return runLoad(spec(firstPage), settings.runTimeoutMs);
      },
      () => runLoad(spec(laterPage), settings.runTimeoutMs),
    );
    const whole = await unlimited!;
    const { maxEventLoopBlockMs, maxEventLoopBlockCpuMs } = await proxy.probe();
    const { rss } = await proxy.probe(true);
    emit({
      scenario: 'discovery',
      ...seeded,
      pageSize: PAGE,
      offset,
      requestsPerRound: requests,
      rounds: rounds.length,
      ...roundFigures(rounds, {
        pageMs: (round) => round.subject.p50Ms,
        offsetPageMs: (round) => round.baseline.p50Ms,
        pageP99Ms: (round) => round.subject.p99Ms,
      }),
      maxEventLoopBlockMs: rounded(maxEventLoopBlockMs),
      maxEventLoopBlockCpuMs: rounded(maxEventLoopBlockCpuMs),
      ...(await healthz.stop()),
      ...whole,
      rssMbAfterGc: rounded(rss / 2 ** 20, 1),
      raw: rounds.map((round) => ({ page: round.subject, offsetPage: round.baseline })),
    });
  } finally {
    await proxy.stop();
  }
};

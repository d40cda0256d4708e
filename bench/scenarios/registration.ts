import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseFigures, RegisterLoadSpec } from '../load/register-load.js';
import { BenchChild } from '../processes/bench-child.js';
import { REGISTER_LOAD } from '../processes/built-scripts.js';
import { ProxyProcess } from '../processes/proxy-process.js';
import { roundFigures } from '../rounds.js';
import { rounded } from '../stats.js';
import type { Scenario } from './scenario.js';
import { storedBreakdown } from './stored-breakdown.js';

const ENDPOINTS = [10_000, 100_000];
const QUICK_ENDPOINTS = [500];
const IN_FLIGHT = 50;
const REQUEST_TIMEOUT_MS = 30_000;
const PHASE_TIMEOUT_MS = 600_000;

/** Bytes of every file in `dir` (the database, and its WAL when there is one). */
function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

async function phaseLine(load: BenchChild, phase: string): Promise<PhaseFigures> {
  const line = await load.waitForLine((text) => text.includes(`"phase":"${phase}"`), `${phase} figures`, PHASE_TIMEOUT_MS);
  return JSON.parse(line) as PhaseFigures;
}

/** One round's figures: a fresh proxy, N Registers, N Updates, a restart. */
interface RegistrationRound {
  regPerSec: number;
  regP99Ms: number;
  updatePerSec: number;
  updateP99Ms: number;
  bytesPerReg: number;
  bytesPerRegAfterUpdate: number;
  heapPerReg: number;
  storedBytesPerReg: number;
  /** Per registration, by table and index. */
  storedBreakdown: Record<string, number>;
  restartMs: number;
  gc: boolean;
  raw: { register: PhaseFigures; update: PhaseFigures };
}

const ROUNDS = 3;

async function registrationRound(endpoints: number): Promise<RegistrationRound> {
  const proxy = await ProxyProcess.start();
  let load: BenchChild | undefined;
  try {
    const before = await proxy.probe(true);
    const bytesAtStart = dirBytes(proxy.dataDir);
    const spec: RegisterLoadSpec = { host: '127.0.0.1', port: proxy.coapPort, endpoints, concurrency: IN_FLIGHT, prefix: 'urn:bench:reg-', timeoutMs: REQUEST_TIMEOUT_MS };
    load = new BenchChild('registration load generator', [REGISTER_LOAD, JSON.stringify(spec)], {}, true);
    const registered = await phaseLine(load, 'register');
    const afterRegister = await proxy.probe(true);
    load.send('update');
    const updated = await phaseLine(load, 'update');
    const afterUpdate = await proxy.probe(true);
    const code = await load.exit(REQUEST_TIMEOUT_MS);
    if (code !== 0) throw load.failure(`exited with ${code}`);
    let storedBytes = 0;
    let breakdown: Record<string, number> = {};
    const restartMs = await proxy.restart(() => {
      storedBytes = dirBytes(proxy.dataDir) - bytesAtStart;
      breakdown = storedBreakdown(proxy.dataDir, endpoints);
    });
    return {
      regPerSec: registered.perSec,
      regP99Ms: registered.p99Ms,
      updatePerSec: updated.perSec,
      updateP99Ms: updated.p99Ms,
      bytesPerReg: rounded((afterRegister.rss - before.rss) / endpoints, 0),
      bytesPerRegAfterUpdate: rounded((afterUpdate.rss - before.rss) / endpoints, 0),
      heapPerReg: rounded((afterRegister.heapUsed - before.heapUsed) / endpoints, 0),
      storedBytesPerReg: rounded(storedBytes / endpoints, 0),
      storedBreakdown: breakdown,
      restartMs: rounded(restartMs, 0),
      gc: afterRegister.gc,
      raw: { register: registered, update: updated },
    };
  } finally {
    load?.kill();
    await proxy.stop();
  }
}

/**
 * LwM2M Register of N endpoints (50 in flight, from 50 client sockets) then one Update per endpoint, against one proxy
 * on disk; memory per registration after a forced GC, stored bytes per registration and the restart time with all of
 * them. A registration happens once per endpoint, so each of the 3 rounds starts a fresh proxy; there is no baseline to
 * interleave. One line per size.
 */
export const registration: Scenario = async (settings, emit) => {
  const chosen = process.env.BENCH_REG_ENDPOINTS?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  for (const endpoints of chosen?.length ? chosen : settings.quick ? QUICK_ENDPOINTS : ENDPOINTS) {
    const rounds: RegistrationRound[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await registrationRound(endpoints));
    emit({
      scenario: 'registration',
      endpoints,
      inFlight: IN_FLIGHT,
      rounds: rounds.length,
      ...roundFigures(rounds, {
        regPerSec: (round) => round.regPerSec,
        regP99Ms: (round) => round.regP99Ms,
        updatePerSec: (round) => round.updatePerSec,
        updateP99Ms: (round) => round.updateP99Ms,
        bytesPerReg: (round) => round.bytesPerReg,
        bytesPerRegAfterUpdate: (round) => round.bytesPerRegAfterUpdate,
        heapPerReg: (round) => round.heapPerReg,
        storedBytesPerReg: (round) => round.storedBytesPerReg,
        restartMs: (round) => round.restartMs,
      }),
      storedBytesMeasured: 'DATA_DIR after a clean stop (WAL checkpointed) minus at start',
      storedBreakdownPerReg: rounds[rounds.length - 1].storedBreakdown,
      gc: rounds.every((round) => round.gc),
      raw: rounds.map((round) => round.raw),
    });
  }
};

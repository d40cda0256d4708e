import { nodeNameForDevice } from '../../src/onem2m/resources/device-node-naming.js';
import type { BenchSettings } from '../bench-settings.js';
import type { DmBenchCredentials, DmBenchDevice, DmCalibration, DmLoadSpec, EchoLoadSpec, SessionFigures } from '../load/dm-load-spec.js';
import { DM_SESSION_LOAD, ECHO_SESSION_LOAD } from '../processes/built-scripts.js';
import { EchoProcess } from '../processes/echo-process.js';
import { runScript } from '../processes/load-run.js';
import { ProxyProcess } from '../processes/proxy-process.js';
import { interleavedRounds, roundFigures } from '../rounds.js';
import { rounded } from '../stats.js';
import type { Scenario } from './scenario.js';

const CONCURRENCIES = [1, 10];
const QUICK_CONCURRENCIES = [1, 3];
/** DM commands per measured session. */
const COMMANDS = 5;
/** Basic auth (both ways for DM 1.3): the cheapest check, so the figures are the session's work rather than md5's or Digest's. */
const AUTH = 'basic';
const CREDENTIALS: DmBenchCredentials = { user: 'bench', secret: 'bench-device-secret', serverId: 'dm-proxy', serverSecret: 'bench-server-secret' };

/** Sessions per round: a session carries 5 Retrieves, 5 DM commands and 2 or more HTTP exchanges, so fewer than requests. */
function sessionCounts(settings: BenchSettings): { sessions: number; warmup: number } {
  return { sessions: Math.max(10, Math.round(settings.requests / 5)), warmup: Math.max(2, Math.round(settings.warmup / 10)) };
}

/** What differs between the DM 1.3 and DM 2.0 scenarios. */
interface DmProtocol {
  name: 'omadm13' | 'omadm20';
  /** The DM server's path on DM_PORT. */
  path: string;
  /** The first digits of the bench devices' IMEIs (each scenario its own devices). */
  imeiPrefix: string;
  credentials(): Record<string, unknown>;
}

const OMADM13: DmProtocol = {
  name: 'omadm13',
  path: '/dm',
  imeiPrefix: '35',
  credentials: () => ({ auth: AUTH, client: { user: CREDENTIALS.user, secret: CREDENTIALS.secret }, server: { id: CREDENTIALS.serverId, secret: CREDENTIALS.serverSecret } }),
};

const OMADM20: DmProtocol = {
  name: 'omadm20',
  path: '/dm2',
  imeiPrefix: '36',
  credentials: () => ({ version: '2.0', auth: AUTH, client: { user: CREDENTIALS.user, secret: CREDENTIALS.secret } }),
};

async function enrol(proxy: ProxyProcess, devId: string, protocol: DmProtocol): Promise<void> {
  const body = JSON.stringify(protocol.credentials());
  const answer = await proxy.request('PUT', `/admin/omadm/devices/${encodeURIComponent(devId)}`, { body, headers: { 'Content-Type': 'application/json' } });
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`enrolling ${devId} answered HTTP ${answer.status} ${await answer.text()}`);
}

/**
 * OMA DM 1.2/1.3 sessions carrying five DM commands: per session, blocking oneM2M Retrieves of a DM device's mgmtObjs
 * queue five commands (Gets of DiagMon, DevInfo... as the adapter plans them), the device opens a session (package 1
 * with basic Cred and DevInfo, package 2 with the commands, package 3 with Status/Results, the final answer) and every
 * Retrieve answers 2000. Against a minimal node HTTP echo answering each of the session's exchanges with a body of the
 * size the proxy answered: what the DM server adds over moving the same bytes. One line per concurrency (devices).
 */
export const omadm13: Scenario = (settings, emit) => dmSessions(OMADM13, settings, emit);

/**
 * The same for OMA DM 2.0: the Retrieves queue DM 2.0 commands (one GET per mgmtObj's subtree, `?cv=` from the second
 * read on, answered 304), and a lean DM 2.0 device (bench/load/dm2-bench-client.ts: package 1 with its MOS and HTTP
 * Basic, package 2 with the GETs, package 3 with their Status and data, package 2 END) serves them.
 */
export const omadm20: Scenario = (settings, emit) => dmSessions(OMADM20, settings, emit);

async function dmSessions(protocol: DmProtocol, settings: BenchSettings, emit: (line: Record<string, unknown>) => void): Promise<void> {
  const concurrencies = settings.quick ? QUICK_CONCURRENCIES : CONCURRENCIES;
  const { sessions, warmup } = sessionCounts(settings);
  const proxy = await ProxyProcess.start();
  let echo: EchoProcess | undefined;
  try {
    const devices: DmBenchDevice[] = Array.from({ length: Math.max(...concurrencies) }, (_, index) => {
      const devId = `IMEI:${protocol.imeiPrefix}${String(index + 1).padStart(13, '0')}`;
      return { devId, node: nodeNameForDevice(devId) };
    });
    for (const device of devices) await enrol(proxy, device.devId, protocol);
    const base: Omit<DmLoadSpec, 'mode' | 'devices' | 'concurrency'> = {
      protocol: protocol.name, httpUrl: proxy.url(''), dmUrl: `http://127.0.0.1:${proxy.dmPort}${protocol.path}`, credentials: CREDENTIALS, plan: [], queued: 0, commands: 0, target: COMMANDS,
      sessions, warmup, timeoutMs: settings.requestTimeoutMs,
    };
    const calibration = await runScript<DmCalibration>('DM session load generator', DM_SESSION_LOAD, { ...base, mode: 'calibrate', devices, concurrency: 1 }, settings.runTimeoutMs);
    echo = await EchoProcess.start(calibration.answerBytes);
    for (const concurrency of concurrencies) {
      const subject: DmLoadSpec = { ...base, mode: 'measure', devices: devices.slice(0, concurrency), concurrency, plan: calibration.plan, queued: calibration.queued, commands: calibration.commands };
      const baseline: EchoLoadSpec = { url: echo.url, requestBytes: calibration.requestBytes, answerBytes: calibration.answerBytes, sessions, warmup, concurrency, timeoutMs: settings.requestTimeoutMs };
      const rounds = await interleavedRounds(
        settings.rounds,
        () => runScript<SessionFigures>('DM session load generator', DM_SESSION_LOAD, subject, settings.runTimeoutMs),
        () => runScript<SessionFigures>('echo session load generator', ECHO_SESSION_LOAD, baseline, settings.runTimeoutMs),
      );
      emit({
        scenario: protocol.name,
        devices: concurrency,
        concurrency,
        sessionsPerRound: sessions,
        rounds: rounds.length,
        auth: AUTH,
        retrieves: calibration.plan,
        queuedPerSession: calibration.queued,
        commandsPerSession: calibration.commands,
        exchangesPerSession: calibration.answerBytes.length,
        requestBytes: calibration.requestBytes,
        answerBytes: calibration.answerBytes,
        retrieveCosts: calibration.costs,
        ...roundFigures(rounds, {
          proxySessionsPerSec: (round) => round.subject.sessionsPerSec,
          echoSessionsPerSec: (round) => round.baseline.sessionsPerSec,
          ratio: (round) => rounded(round.subject.sessionsPerSec / round.baseline.sessionsPerSec),
          proxyP50Ms: (round) => round.subject.p50Ms,
          proxyP99Ms: (round) => round.subject.p99Ms,
          echoP50Ms: (round) => round.baseline.p50Ms,
          echoP99Ms: (round) => round.baseline.p99Ms,
          p99Ratio: (round) => rounded(round.subject.p99Ms / round.baseline.p99Ms),
          cycleP50Ms: (round) => round.subject.cycleP50Ms ?? Number.NaN,
          cycleP99Ms: (round) => round.subject.cycleP99Ms ?? Number.NaN,
        }),
        raw: rounds.map((round) => ({ proxy: round.subject, echo: round.baseline })),
      });
    }
  } finally {
    await echo?.stop();
    await proxy.stop();
  }
}

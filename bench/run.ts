import { benchSettings } from './bench-settings.js';
import { killAllChildren } from './processes/bench-child.js';
import { discovery } from './scenarios/discovery.js';
import { httpFrontDoor } from './scenarios/http-front-door.js';
import { mappings } from './scenarios/mappings.js';
import { omadm13, omadm20 } from './scenarios/dm-sessions.js';
import { registration } from './scenarios/registration.js';
import { retrieveLwm2m } from './scenarios/retrieve-lwm2m.js';
import type { Scenario } from './scenarios/scenario.js';

/**
 * `npm run bench`: each scenario runs the proxy, the simulated devices, its baseline and the load generator as separate
 * processes and prints one JSON line per measured configuration on stdout (progress and errors go to stderr).
 * Exits 1 when a scenario fails; every child process is ended either way.
 */
const scenarios: Record<string, Scenario> = {
  'retrieve-lwm2m': retrieveLwm2m,
  'http-front-door': httpFrontDoor,
  registration,
  mappings,
  discovery,
  omadm13,
  omadm20,
};

process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

const settings = benchSettings(process.env);
const emit = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const unknown = only?.filter((name) => !(name in scenarios)) ?? [];
if (unknown.length > 0) {
  console.error(`bench: unknown scenario ${unknown.join(', ')} in BENCH_ONLY (known: ${Object.keys(scenarios).join(', ')})`);
  process.exit(2);
}
try {
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (only && !only.includes(name)) continue;
    console.error(`bench: ${name}${settings.quick ? ' (quick)' : ''}`);
    await scenario(settings, emit);
  }
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  killAllChildren();
  process.exitCode = 1;
}

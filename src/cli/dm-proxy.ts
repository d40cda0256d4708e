#!/usr/bin/env node
import { runMappingsCommand, USAGE as MAPPINGS_USAGE } from './mappings-command.js';
import { runSimulateCommand, SIMULATE_USAGE } from './simulate-command.js';

const USAGE = `${MAPPINGS_USAGE}\n\n${SIMULATE_USAGE}`;

/** `dm-proxy`: the operator's command line: `mappings` and `simulate`. */
async function main(argv: string[]): Promise<number> {
  const io = { env: process.env, out: (text: string) => process.stdout.write(`${text}\n`), err: (text: string) => process.stderr.write(`${text}\n`) };
  const [group, ...rest] = argv;
  if (group === 'mappings') return runMappingsCommand(rest, io);
  if (group === 'simulate') return runSimulateCommand(rest, io, stopSignal());
  if (group === '--help' || group === '-h') {
    io.out(USAGE);
    return 0;
  }
  io.err(`dm-proxy: ${group ? `unknown command "${group}"` : 'missing command'}\n\n${USAGE}`);
  return 2;
}

/** Aborted by the first SIGINT (Ctrl-C) or SIGTERM; a second one ends the process at once. */
function stopSignal(): AbortSignal {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return stop.signal;
}

// A reader that stops early (`| head`) is not an error: end quietly, as the shell expects of a filter.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
process.exitCode = await main(process.argv.slice(2));

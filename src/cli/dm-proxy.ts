#!/usr/bin/env node
import { runMappingsCommand, USAGE } from './mappings-command.js';

/** `dm-proxy`: the operator's command line. Only `mappings` exists so far. */
function main(argv: string[]): number {
  const io = { env: process.env, out: (text: string) => process.stdout.write(`${text}\n`), err: (text: string) => process.stderr.write(`${text}\n`) };
  const [group, ...rest] = argv;
  if (group === 'mappings') return runMappingsCommand(rest, io);
  if (group === '--help' || group === '-h') {
    io.out(USAGE);
    return 0;
  }
  io.err(`dm-proxy: ${group ? `unknown command "${group}"` : 'missing command'}\n\n${USAGE}`);
  return 2;
}

// A reader that stops early (`| head`) is not an error: end quietly, as the shell expects of a filter.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
process.exitCode = main(process.argv.slice(2));

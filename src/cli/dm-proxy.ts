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

process.exitCode = main(process.argv.slice(2));

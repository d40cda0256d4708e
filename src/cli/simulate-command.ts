import type { CliIo } from './mappings-command.js';
import { LWM2M_USAGE, runLwm2mSimulation } from './simulate-lwm2m.js';
import { OMADM_USAGE, runOmadmSimulation } from './simulate-omadm.js';
import { OMADM2_USAGE, runOmadm2Simulation } from './simulate-omadm2.js';

/** One simulated technology: its usage text and its runner (resolves with the exit status once stopped). */
interface Simulator {
  usage: string;
  run(args: string[], io: CliIo, stopSignal: AbortSignal): Promise<number>;
}

const SIMULATORS: Record<string, Simulator> = {
  lwm2m: { usage: LWM2M_USAGE, run: runLwm2mSimulation },
  omadm: { usage: OMADM_USAGE, run: runOmadmSimulation },
  omadm2: { usage: OMADM2_USAGE, run: runOmadm2Simulation },
};

export const SIMULATE_USAGE = Object.values(SIMULATORS).map((simulator) => simulator.usage).join('\n\n');

/** `dm-proxy simulate <technology> …`: runs until `stopSignal` (Ctrl-C) and resolves with the exit status. */
export function runSimulateCommand(args: string[], io: CliIo, stopSignal: AbortSignal): Promise<number> {
  const [technology, ...rest] = args;
  if (technology === '--help' || technology === '-h') {
    io.out(SIMULATE_USAGE);
    return Promise.resolve(0);
  }
  const simulator = technology === undefined ? undefined : SIMULATORS[technology];
  if (!simulator) {
    io.err(`dm-proxy simulate: ${technology ? `unknown technology "${technology}"` : 'missing technology'} (known: ${Object.keys(SIMULATORS).join(', ')})\n\n${SIMULATE_USAGE}`);
    return Promise.resolve(2);
  }
  return simulator.run(rest, io, stopSignal);
}

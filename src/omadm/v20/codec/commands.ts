import { DM2_COMMAND_NAMES, type Dm2Command, type Dm2CommandName } from './model.js';

/** Arguments each command takes: [fewest, most]. */
const ARGUMENTS: Readonly<Record<Dm2CommandName, readonly [number, number]>> = {
  HGET: [1, 2],
  HPUT: [2, Number.POSITIVE_INFINITY],
  HPOST: [2, Number.POSITIVE_INFINITY],
  GET: [1, 1],
  DELETE: [1, 1],
  EXEC: [1, 2],
  SHOW: [1, 1],
  SUB: [2, 2],
  UNSUB: [1, 1],
  CONT: [1, 1],
  END: [0, 0],
  DEFAULT: [2, 2],
};

/** What is wrong with a command before it is queued (unknown name, wrong number of arguments, a non-string argument). */
export function dm2CommandProblems(command: readonly unknown[]): string[] {
  const [name, ...args] = command;
  if (!DM2_COMMAND_NAMES.includes(name as Dm2CommandName)) return [`${String(name)} is not a DM 2.0 command (${DM2_COMMAND_NAMES.join(', ')})`];
  const [fewest, most] = ARGUMENTS[name as Dm2CommandName];
  const problems: string[] = [];
  if (args.length < fewest || args.length > most) problems.push(`${String(name)} takes ${fewest === most ? fewest : `${fewest} to ${most === Number.POSITIVE_INFINITY ? 'any number of' : most}`} arguments, not ${args.length}`);
  args.forEach((arg, index) => {
    if (typeof arg !== 'string' || arg.length === 0) problems.push(`${String(name)} argument ${index + 1} must be a non-empty string`);
  });
  return problems;
}

export const END: Dm2Command = ['END'];

/** Package 2's body: `{"CMD": [[name, args...], ...]}`. */
export function encodeRequest(commands: readonly Dm2Command[]): string {
  return JSON.stringify({ CMD: commands });
}

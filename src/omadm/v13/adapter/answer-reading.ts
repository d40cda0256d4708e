import type { Status } from '../codec/index.js';
import type { DmCommandAnswer } from '../session/session-events.js';

/** How the device answered one command of a queued command (found by its CmdID). */
export interface CommandAnswer {
  statuses: Status[];
  /** Results data by node URI (Item Source, else Target). */
  values: Map<string, string>;
}

export function answerOf(answer: DmCommandAnswer, cmdId: string): CommandAnswer {
  const values = new Map<string, string>();
  for (const results of answer.results) {
    if (results.cmdRef !== cmdId) continue;
    for (const item of results.items) {
      const uri = item.source?.locUri ?? item.target?.locUri;
      if (uri !== undefined && item.data !== undefined) values.set(uri, item.data);
    }
  }
  return { statuses: answer.statuses.filter((status) => status.cmdRef === cmdId), values };
}

/** The status code for one Item: the Status naming its URI in TargetRef, else one naming no target (it answers every Item). */
export function itemCode(answer: CommandAnswer, uri: string): number | undefined {
  const named = answer.statuses.find((status) => status.targetRefs.includes(uri));
  return (named ?? answer.statuses.find((status) => status.targetRefs.length === 0) ?? (answer.statuses.length === 1 ? answer.statuses[0] : undefined))?.data;
}

/** The command's own code: the first Status that is not a success, else the first one. */
function commandCode(answer: CommandAnswer): number | undefined {
  return (answer.statuses.find((status) => !isSuccess(status.data)) ?? answer.statuses[0])?.data;
}

/** 215 (not executed) and 216 (rolled back) are of the 2xx class but say the command was not carried out. */
const NOT_CARRIED_OUT = new Set([215, 216]);

export function isSuccess(code: number): boolean {
  return code >= 200 && code < 300 && !NOT_CARRIED_OUT.has(code);
}

/** What a request whose steps all succeeded reports: the first success code other than 200 (213 is no final answer), else 200. */
export function successCode(codes: readonly number[]): number {
  return codes.find((code) => code !== 200) ?? 200;
}

/** The codes of a queued command's steps (the inner commands of a group, or the command itself) and of the group. */
export interface StepCodes {
  steps: Array<number | undefined>;
  group?: number;
}

export function stepCodes(commands: readonly unknown[], answer: DmCommandAnswer): StepCodes {
  const codes = commands.map((_, index) => {
    const cmdId = answer.cmdIds[index];
    return cmdId === undefined ? undefined : commandCode(answerOf(answer, cmdId));
  });
  return commands.length === 1 ? { steps: codes } : { group: codes[0], steps: codes.slice(1) };
}

import type { DeviceCallContext, DeviceRef, DeviceReport, OneM2MOperation } from '../../../core/device-adapter.js';
import type { Exec, ItemCommand } from '../codec/index.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { isSuccess, stepCodes } from './answer-reading.js';
import { commandsInOrder, grouped } from './dm-commands.js';
import { dmReport, unansweredReport } from './dm-report.js';

/** One command of a request, with what its success means. */
export interface Step {
  command: ItemCommand | Exec;
  /** The status table row its failure is mapped through. */
  operation: OneM2MOperation;
  /** `Replace ./FUMO/DownloadAndUpdate/PkgURL` */
  label: string;
}

/**
 * How a request's steps went: every step's code and the commands as queued (a request rerun after a restart takes over
 * what it queued before: its Correlators are those), or the report of the first that failed (or of the group).
 */
export type StepsOutcome = { codes: number[]; sent: Array<ItemCommand | Exec> } | { failed: DeviceReport; done: number[] };

function stepLabel(command: ItemCommand | Exec): string {
  const uri = command.kind === 'Exec' ? command.item.target?.locUri : command.items[0]?.target?.locUri;
  return `${command.kind} ${uri ?? ''}`;
}

export function step(command: ItemCommand | Exec, operation: OneM2MOperation): Step {
  return { command, operation, label: stepLabel(command) };
}

/**
 * Queues a request's commands as one (grouped in `group` when there are several) and reads the device's answer:
 * `done` holds the indexes of the steps that succeeded before a failure.
 */
export async function runSteps(
  deps: DmOperationDeps,
  device: DeviceRef,
  steps: readonly Step[],
  group: 'Atomic' | 'Sequence',
  operation: OneM2MOperation,
  ctx: DeviceCallContext,
  key: string,
): Promise<StepsOutcome> {
  let command = grouped(group, steps.map((entry) => entry.command));
  const [outcome] = await deps.dispatch.send(device.deviceId, [command], ctx, key, ([entry]) => (command = entry.command));
  if (!('answer' in outcome)) return { failed: unansweredReport(operation, outcome), done: [] };
  const order = commandsInOrder(command);
  const { steps: codes, group: groupCode } = stepCodes(order, outcome.answer);
  const missing = codes.findIndex((code) => code === undefined);
  if (missing >= 0) {
    // A device that refuses the whole group (406 no Atomic support, 517 too big to answer) answers only the group.
    if (groupCode !== undefined && !isSuccess(groupCode)) return { failed: dmReport(operation, groupCode, { detail: `(OMA DM ${group} → ${groupCode})` }), done: [] };
    return { failed: dmReport(steps[missing].operation, 'decode-error', { detail: `(the device sent no Status for ${steps[missing].label})` }), done: [] };
  }
  const known = codes as number[];
  const cause = failureCause(known);
  if (cause >= 0) {
    const { label, operation: stepOperation } = steps[cause];
    const done = known.flatMap((code, index) => (index < cause && isSuccess(code) ? [index] : []));
    const before = done.length > 0 ? `; already done: ${done.map((at) => steps[at].label).join(', ')}` : '';
    return { failed: dmReport(stepOperation, known[cause], { detail: `(OMA DM ${label} → ${known[cause]})${before}` }), done };
  }
  if (groupCode !== undefined && !isSuccess(groupCode)) return { failed: dmReport(operation, groupCode, { detail: `(OMA DM ${group} → ${groupCode})` }), done: [] };
  return { codes: known, sent: (order.length === 1 ? order : order.slice(1)) as Array<ItemCommand | Exec> };
}

/** Statuses an Atomic or Sequence gives the commands that did not fail themselves (not executed, rolled back). */
const CONSEQUENTIAL = new Set([215, 216, 516]);

/** The step whose failure the request reports: the first that failed by itself, else the first that failed at all; -1 when none. */
function failureCause(codes: readonly number[]): number {
  const own = codes.findIndex((code) => !isSuccess(code) && !CONSEQUENTIAL.has(code));
  return own >= 0 ? own : codes.findIndex((code) => !isSuccess(code));
}

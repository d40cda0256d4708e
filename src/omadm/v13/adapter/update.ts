import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { callKey } from './command-dispatch.js';
import { ACTION_STATUS, actionStatusOf } from '../../common/action-status.js';
import { successCode } from './answer-reading.js';
import { ACCEPTED, awaitAsyncExecs, type PendingExec } from './async-execs.js';
import { runSteps, step, type Step } from './command-steps.js';
import { execNode, replaceLeaf } from './dm-commands.js';
import { dmReport, reportOfRefusal } from './dm-report.js';
import { mgmtObjNodes } from './mgmt-obj-nodes.js';
import { nodeFromAttribute } from '../../common/node-values.js';
import { DmRefusal } from './refusal.js';

interface UpdatePlan {
  /** Replaces first, then Execs (TS-0004 §7.4.15.2.4), both in table order. */
  steps: Step[];
  /** Per step: the attribute it writes or runs, and the value given. */
  attributes: Array<{ attribute: string; value: unknown }>;
  /** Attributes without a DM node: not the device's business, reported back as given. */
  kept: Record<string, unknown>;
  execs: number;
}

/** Throws DmRefusal before anything is sent: a read-only leaf (405), a value that does not fit (invalid-value). */
function planUpdate(deps: DmOperationDeps, obj: MgmtObjRef, changes: Record<string, unknown>): UpdatePlan {
  const nodes = mgmtObjNodes(deps.table(), obj);
  const plan: UpdatePlan = { steps: [], attributes: [], kept: { ...changes }, execs: 0 };
  const execs: UpdatePlan['steps'] = [];
  const execAttributes: UpdatePlan['attributes'] = [];
  for (const attribute of nodes.mapping.attributes) {
    if (!(attribute.attribute in changes)) continue;
    const value = changes[attribute.attribute];
    delete plan.kept[attribute.attribute];
    const uri = nodes.uriOf(attribute);
    if (attribute.executable) {
      if (value === true) {
        execs.push(step(execNode(uri, deps.correlator()), 'execute'));
        execAttributes.push({ attribute: attribute.attribute, value });
      } else if (value !== false) throw new DmRefusal('invalid-value', `executable attribute "${attribute.attribute}" takes true or false`);
      continue;
    }
    if (!attribute.access.includes('W')) throw new DmRefusal('405', `"${attribute.attribute}" is read-only on the device (${uri})`);
    plan.steps.push(step(replaceLeaf(uri, nodeFromAttribute(deps.converters, attribute, value)), 'update'));
    plan.attributes.push({ attribute: attribute.attribute, value });
  }
  plan.steps.push(...execs);
  plan.attributes.push(...execAttributes);
  plan.execs = execs.length;
  return plan;
}

/**
 * Update: Replace for each written leaf, then Exec for each executable attribute set to true, as one command (Atomic
 * when only Replaces, Sequence when Execs follow). An Exec the device accepts with 202 completes with its Generic Alert.
 */
export async function updateMgmtObj(deps: DmOperationDeps, device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceReport> {
  const runsAction = Object.values(changes).includes(true);
  let plan: UpdatePlan;
  try {
    plan = planUpdate(deps, obj, changes);
  } catch (error) {
    return reportOfRefusal(runsAction ? 'execute' : 'update', error);
  }
  if (plan.steps.length === 0) return dmReport('update', 'nothing-to-send', { attributes: plan.kept });
  const operation = plan.execs > 0 ? 'execute' : 'update';
  const outcome = await runSteps(deps, device, plan.steps, plan.execs > 0 ? 'Sequence' : 'Atomic', operation, ctx, callKey(ctx, 'update', obj.ri));
  if ('failed' in outcome) {
    const confirmed = outcome.done.filter((index) => plan.steps[index].operation === 'update').map((index) => [plan.attributes[index].attribute, plan.attributes[index].value]);
    return { ...outcome.failed, attributes: { ...plan.kept, ...Object.fromEntries(confirmed) } };
  }
  const attributes: Record<string, unknown> = { ...plan.kept };
  const pending: PendingExec[] = [];
  outcome.codes.forEach((code, index) => {
    const { attribute, value } = plan.attributes[index];
    const command = outcome.sent[index];
    if (command.kind !== 'Exec') attributes[attribute] = value;
    else if (code === ACCEPTED) pending.push({ attribute, correlator: command.correlator as string });
    else Object.assign(attributes, actionStatusOf(attribute, ACTION_STATUS.successful));
  });
  if (pending.length === 0) return dmReport(operation, successCode(outcome.codes), { attributes });
  for (const exec of pending) Object.assign(attributes, actionStatusOf(exec.attribute, ACTION_STATUS.inProcess));
  const accepted = dmReport('execute', ACCEPTED, { attributes });
  ctx.progress({ state: 'accepted', report: accepted, resume: { execs: pending } });
  return awaitAsyncExecs(deps, device, obj, pending, ctx);
}

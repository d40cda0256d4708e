import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation } from '../../../core/device-adapter.js';
import { ACTION_STATUS, actionStatusOf } from '../../common/action-status.js';
import { callKey } from '../../common/command-dispatch.js';
import { nodeFromAttribute } from '../../common/node-values.js';
import { DmRefusal } from '../../common/refusal.js';
import type { Dm2Command } from '../codec/index.js';
import { RepositoryFullError } from '../repository/index.js';
import { reportTokenOf, reportUri } from '../session/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import type { Dm2Outcome } from './dm2-dispatch.js';
import { ACCEPTED, awaitAsyncExecs, type PendingExec } from './async-execs.js';
import { dm2Report, isSuccess, reportOfRefusal, unansweredReport } from './dm2-report.js';
import { moAddress } from './mo-address.js';
import { moDataBody } from './mo-data.js';
import { offerForCall } from './repository-offer.js';
import { queueUnsubscribe, type StatusSubscription, statusSubscription } from './status-subscription.js';

/** One command of an Update: an HGET writing a leaf, or an EXEC running an executable attribute. */
interface UpdateStep {
  command: Dm2Command;
  operation: OneM2MOperation;
  attribute: string;
  value: unknown;
  /** EXEC: the token of its report URI. */
  token?: string;
  /** SUB of a status leaf: its failure fails nothing. */
  courtesy?: boolean;
}

interface UpdatePlan {
  /** HGETs first, then EXECs (TS-0004 §7.4.15.2.4), both in table order. */
  steps: UpdateStep[];
  /** Attributes without a DM node: not the device's business, reported back as given. */
  kept: Record<string, unknown>;
  /** Repository URIs offered for the HGETs (withdrawn when the call ends). */
  offered: string[];
  /** SUBs of the EXECs' status leaves, sent before the EXECs. */
  subscription?: StatusSubscription;
}

/** Status attributes a subscription reported (converted): progress of the accepted EXECs. */
type ProgressOf = (attributes: Record<string, unknown>) => void;

/** Throws DmRefusal before anything is sent (a read-only leaf: 405, a value that does not fit), or RepositoryFullError. */
function planUpdate(deps: Dm2OperationDeps, devId: string, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext, progress: ProgressOf): UpdatePlan {
  const address = moAddress(deps.table(), obj, (moid) => deps.miids(devId, moid));
  const plan: UpdatePlan = { steps: [], kept: { ...changes }, offered: [] };
  const execs: UpdateStep[] = [];
  const writes: Array<{ clientUri: string; name: string; text: string; attribute: string; value: unknown }> = [];
  for (const attribute of address.mapping.attributes) {
    if (!(attribute.attribute in changes)) continue;
    const path = address.pathOf(attribute);
    if (path === undefined) continue;
    const value = changes[attribute.attribute];
    delete plan.kept[attribute.attribute];
    const clientUri = address.clientUri(path);
    if (attribute.executable) {
      if (value === true) {
        const token = deps.token();
        execs.push({ command: ['EXEC', clientUri, reportUri(deps.dm2Path, token)], operation: 'execute', attribute: attribute.attribute, value, token });
      } else if (value !== false) throw new DmRefusal('invalid-value', `executable attribute "${attribute.attribute}" takes true or false`);
      continue;
    }
    if (!attribute.access.includes('W')) throw new DmRefusal('405', `"${attribute.attribute}" is read-only on the device (${clientUri})`);
    writes.push({ clientUri, name: path.slice(path.lastIndexOf('/') + 1), text: nodeFromAttribute(deps.converters, attribute, value).data, attribute: attribute.attribute, value });
  }
  try {
    for (const write of writes) {
      const url = offerForCall(deps, devId, moDataBody(write.clientUri, write.name, write.text), ctx);
      plan.offered.push(url);
      plan.steps.push({ command: ['HGET', url, write.clientUri], operation: 'update', attribute: write.attribute, value: write.value });
    }
  } catch (error) {
    for (const url of plan.offered) deps.repository.withdraw(url);
    throw error;
  }
  if (execs.length > 0) {
    plan.subscription = statusSubscription(deps, devId, address, execs.map((exec) => exec.attribute), ctx, progress);
    for (const command of plan.subscription?.subscribe ?? []) plan.steps.push({ command, operation: 'execute', attribute: '', value: undefined, courtesy: true });
  }
  plan.steps.push(...execs);
  return plan;
}

/**
 * Update: `HGET <repository URI> <ClientURI>` for each written leaf (its MO data offered once in the repository), then
 * `EXEC <ClientURI> <report URI>` for each executable attribute set to true, in one package 2 (DM 2.0 has no Atomic:
 * the device carries them out in order). An EXEC the device accepts with 202 completes with the Generic Alert it posts
 * to its report URI. Before the EXECs, `SUB <status leaf> <subscription URI>` (FUMO State for ud): each change the device
 * PUTs there is progress with the new status attribute (uds); UNSUB goes out once the alert came (or no EXEC was accepted).
 */
export async function updateMgmtObj(deps: Dm2OperationDeps, device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceReport> {
  const runsAction = Object.values(changes).includes(true);
  const live: LiveStatus = { values: {}, over: false };
  const progress: ProgressOf = (values) => {
    if (live.over) return;
    Object.assign(live.values, values);
    if (live.accepted) ctx.progress({ state: 'accepted', report: dm2Report('execute', ACCEPTED, { attributes: { ...live.accepted.attributes, ...live.values } }), resume: { execs: live.accepted.pending } });
  };
  let plan: UpdatePlan;
  try {
    plan = planUpdate(deps, device.deviceId, obj, changes, ctx, progress);
  } catch (error) {
    if (error instanceof RepositoryFullError) return dm2Report(runsAction ? 'execute' : 'update', 'queue-full', { detail: `(${error.message}; nothing was sent)` });
    return reportOfRefusal(runsAction ? 'execute' : 'update', error);
  }
  try {
    return await carryOut(deps, device, obj, plan, ctx, live);
  } finally {
    live.over = true;
    plan.subscription?.close();
  }
}

/** What the subscriptions reported so far, and the accepted EXECs once the device accepted them (only then is it progress). */
interface LiveStatus {
  values: Record<string, unknown>;
  accepted?: { attributes: Record<string, unknown>; pending: PendingExec[] };
  over: boolean;
}

async function carryOut(deps: Dm2OperationDeps, device: DeviceRef, obj: MgmtObjRef, plan: UpdatePlan, ctx: DeviceCallContext, live: LiveStatus): Promise<DeviceReport> {
  if (plan.steps.length === 0) return dm2Report('update', 'nothing-to-send', { attributes: plan.kept });
  const execs = plan.steps.filter((step) => step.token !== undefined).length;
  const operation = execs > 0 ? 'execute' : 'update';
  const { subscription } = plan;
  // With SUBs sent, the session waits after the last answer: an UNSUB (no EXEC accepted) goes out in it.
  let held: string | undefined;
  const release = () => held !== undefined && deps.dispatch.releaseFollowUp(held);
  const unsubscribe = (active: StatusSubscription) => queueUnsubscribe(deps, device.deviceId, active, ctx, callKey(ctx, 'unsub', obj.ri));
  let outcomes;
  try {
    try {
      // A request rerun after a restart takes over the commands it queued before: their report URIs are the ones to wait on.
      const adopt = (entries: ReadonlyArray<{ id: string; command: Dm2Command }>) => {
        entries.forEach((entry, index) => {
          const step = plan.steps[index];
          if (step.token !== undefined) step.token = reportTokenOf(entry.command) ?? step.token;
        });
        held = subscription && entries.at(-1)?.id;
        if (held !== undefined) deps.dispatch.holdForFollowUp(held, () => true);
      };
      outcomes = await deps.dispatch.send(device.deviceId, plan.steps.map((step) => step.command), ctx, callKey(ctx, 'update', obj.ri), adopt);
    } finally {
      for (const url of plan.offered) deps.repository.withdraw(url);
    }
    const judged = judge(plan, outcomes, operation);
    if ('report' in judged || judged.pending.length === 0) {
      if (subscription) await unsubscribe(subscription);
      return 'report' in judged ? judged.report : dm2Report(operation, 200, { attributes: judged.attributes });
    }
    const { attributes, pending } = judged;
    for (const exec of pending) Object.assign(attributes, actionStatusOf(exec.attribute, ACTION_STATUS.inProcess));
    live.accepted = { attributes, pending };
    ctx.progress({ state: 'accepted', report: dm2Report('execute', ACCEPTED, { attributes: { ...attributes, ...live.values } }), resume: { execs: pending } });
  } finally {
    release();
  }
  return awaitAsyncExecs(deps, device, obj, live.accepted.pending, ctx, subscription && (() => unsubscribe(subscription)));
}

/** The steps' answers: a report when one failed or went unanswered, else the attributes written and the EXECs accepted. */
function judge(plan: UpdatePlan, outcomes: Dm2Outcome[], operation: OneM2MOperation): { report: DeviceReport } | { attributes: Record<string, unknown>; pending: PendingExec[] } {
  const attributes: Record<string, unknown> = { ...plan.kept };
  const pending: PendingExec[] = [];
  const done: string[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const outcome = outcomes[index];
    if (step.courtesy) continue;
    const label = `${step.command[0]} ${step.command[step.command[0] === 'HGET' ? 2 : 1]}`;
    const already = done.length > 0 ? `; already done: ${done.join(', ')}` : '';
    if (!('answer' in outcome)) return { report: { ...unansweredReport(operation, outcome), attributes } };
    const { sc } = outcome.answer;
    if (!isSuccess(sc)) return { report: dm2Report(step.operation, sc, { detail: `(OMA DM 2.0 ${label} → ${sc})${already}`, attributes }) };
    done.push(label);
    if (step.token === undefined) attributes[step.attribute] = step.value;
    else if (sc === ACCEPTED) pending.push({ attribute: step.attribute, token: step.token });
    else Object.assign(attributes, actionStatusOf(step.attribute, ACTION_STATUS.successful));
  }
  return { attributes, pending };
}

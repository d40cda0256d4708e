import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import { ACTION_STATUS, actionStatusOf } from '../../common/action-status.js';
import { type AsyncResult, alertResultSucceeded } from '../../common/async-results.js';
import type { Dm2GenericAlert } from '../codec/index.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { dm2Report } from './dm2-report.js';
import { retrieveMgmtObjs } from './retrieve.js';

/** An EXEC's status when the device runs it asynchronously (it reports to the EXEC's ServerURI). */
export const ACCEPTED = 202;

/** An EXEC the device accepted (202): the Generic Alert posted to its report URI (`token`) brings the result. */
export interface PendingExec {
  attribute: string;
  token: string;
}

/** The adapter's resume data: the EXECs still waiting for their Generic Alert. */
export function parsePendingExecs(resume: unknown): PendingExec[] | undefined {
  const execs = (resume as { execs?: unknown } | null)?.execs;
  if (!Array.isArray(execs) || execs.length === 0) return undefined;
  const valid = execs.every((exec) => typeof exec?.attribute === 'string' && typeof exec?.token === 'string');
  return valid ? (execs as PendingExec[]) : undefined;
}

/** The result code a DM 2.0 Generic Alert carries: `Data` `{"DM1x": <code>}` (DM 1.x payload) or the code itself. */
function codeOf(data: unknown): number | undefined {
  const value = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).DM1x : data;
  const number = typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

export function resultOfDm2Alert(alert: Dm2GenericAlert): AsyncResult {
  const code = codeOf(alert.data);
  const source = alert.sourceUri ? `, ${alert.sourceUri.slice(0, 80)}` : '';
  return { succeeded: alertResultSucceeded(alert.alertType, code), description: `result ${code ?? JSON.stringify(alert.data)?.slice(0, 40) ?? '(none)'} (${alert.alertType.slice(0, 80)}${source})` };
}

/**
 * Waits for the Generic Alert of each accepted EXEC, in order: the first failure ends the call. Each result is reported
 * as progress, so a restart waits only for the alerts still to come. When all succeeded the mgmtObj is read again (the
 * new firmware version...), in the session that brought the last alert.
 */
export async function awaitAsyncExecs(
  deps: Dm2OperationDeps,
  device: DeviceRef,
  obj: MgmtObjRef,
  pending: readonly PendingExec[],
  ctx: DeviceCallContext,
  /** Runs once the last alert came (or a failed one), before the session that brought it goes on: queues follow-ups (UNSUB). */
  settled?: () => Promise<void>,
): Promise<DeviceReport> {
  const attributes: Record<string, unknown> = {};
  for (const [index, exec] of pending.entries()) {
    const alerted = await deps.asyncResults.wait(device.deviceId, exec.token, ctx.signal);
    if (!alerted) {
      return dm2Report('execute', 'timeout', { detail: `(the device accepted ${exec.attribute} but sent no Generic Alert with its result before the request ended)` });
    }
    const { result, continued } = alerted;
    if (!result.succeeded || index === pending.length - 1) await settled?.().catch(() => undefined);
    if (!result.succeeded) {
      continued();
      return dm2Report('execute', 500, { detail: `(Generic Alert: ${result.description})`, attributes: { ...attributes, ...actionStatusOf(exec.attribute, ACTION_STATUS.failure) } });
    }
    Object.assign(attributes, actionStatusOf(exec.attribute, ACTION_STATUS.successful));
    const rest = pending.slice(index + 1);
    if (rest.length > 0) {
      continued();
      ctx.progress({ state: 'accepted', report: dm2Report('execute', ACCEPTED, { attributes: { ...attributes } }), resume: { execs: rest } });
      continue;
    }
    const [reread] = await retrieveMgmtObjs(deps, device, [obj], ctx, undefined, continued).finally(continued);
    // The read is a courtesy: when it fails, the EXECs still succeeded.
    return dm2Report('execute', 200, { attributes: { ...(reread.attributes ?? {}), ...attributes } });
  }
  return dm2Report('execute', 200, { attributes });
}

import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { ACTION_STATUS, actionStatusOf } from '../../common/action-status.js';
import { dmReport } from './dm-report.js';
import { retrieveMgmtObjs } from './retrieve.js';

/** An Exec's Status when the device runs it asynchronously. */
export const ACCEPTED = 202;

/** An Exec the device accepted (202): its Generic Alert, with the same Correlator, reports the result. */
export interface PendingExec {
  attribute: string;
  correlator: string;
}

/** The adapter's resume data: the Execs still waiting for their Generic Alert. */
export function parsePendingExecs(resume: unknown): PendingExec[] | undefined {
  const execs = (resume as { execs?: unknown } | null)?.execs;
  if (!Array.isArray(execs) || execs.length === 0) return undefined;
  const valid = execs.every((exec) => typeof exec?.attribute === 'string' && typeof exec?.correlator === 'string');
  return valid ? (execs as PendingExec[]) : undefined;
}

/**
 * Waits for the Generic Alert of each accepted Exec, in order: the first failure ends the call. Each result is reported
 * as progress, so a restart waits only for the alerts still to come. When all succeeded the mgmtObj is read again (the
 * new firmware version...), in the session that brought the last alert.
 */
export async function awaitAsyncExecs(deps: DmOperationDeps, device: DeviceRef, obj: MgmtObjRef, pending: readonly PendingExec[], ctx: DeviceCallContext): Promise<DeviceReport> {
  const attributes: Record<string, unknown> = {};
  for (const [index, exec] of pending.entries()) {
    const alerted = await deps.asyncResults.wait(device.deviceId, exec.correlator, ctx.signal);
    if (!alerted) {
      return dmReport('execute', 'timeout', { detail: `(the device accepted ${exec.attribute} but sent no Generic Alert with its result before the request ended)` });
    }
    const { result, continued } = alerted;
    if (!result.succeeded) {
      continued();
      return dmReport('execute', 500, { detail: `(Generic Alert: ${result.description})`, attributes: { ...attributes, ...actionStatusOf(exec.attribute, ACTION_STATUS.failure) } });
    }
    Object.assign(attributes, actionStatusOf(exec.attribute, ACTION_STATUS.successful));
    const rest = pending.slice(index + 1);
    if (rest.length > 0) {
      continued();
      ctx.progress({ state: 'accepted', report: dmReport('execute', ACCEPTED, { attributes: { ...attributes } }), resume: { execs: rest } });
      continue;
    }
    const [reread] = await retrieveMgmtObjs(deps, device, [obj], ctx, undefined, continued).finally(continued);
    // The read is a courtesy: when it fails, the Execs still succeeded.
    return dmReport('execute', 200, { attributes: { ...(reread.attributes ?? {}), ...attributes } });
  }
  return dmReport('execute', 200, { attributes });
}

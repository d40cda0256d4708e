import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import type { DmOperationDeps } from './adapter-deps.js';
import { callKey } from './command-dispatch.js';
import { successCode } from './answer-reading.js';
import { runSteps, step } from './command-steps.js';
import { deleteNode } from './dm-commands.js';
import { dmReport, reportOfRefusal } from './dm-report.js';
import { mgmtObjNodes } from './mgmt-obj-nodes.js';

/** Delete of the nodes the mgmtObj stands for (its objectPaths, else its instance node or MO root), as one Atomic. */
export async function deleteMgmtObj(deps: DmOperationDeps, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
  let uris: string[];
  try {
    const paths = (obj.obps ?? []).filter((path) => path.startsWith('./'));
    uris = paths.length > 0 ? paths : mgmtObjNodes(deps.table(), obj).instanceNodes();
  } catch (error) {
    return reportOfRefusal('delete', error);
  }
  const outcome = await runSteps(deps, device, uris.map((uri) => step(deleteNode(uri), 'delete')), 'Atomic', 'delete', ctx, callKey(ctx, 'delete', obj.ri));
  return 'failed' in outcome ? outcome.failed : dmReport('delete', successCode(outcome.codes));
}

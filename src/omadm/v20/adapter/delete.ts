import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef } from '../../../core/device-adapter.js';
import { callKey } from '../../common/command-dispatch.js';
import type { Dm2OperationDeps } from './adapter-deps.js';
import { dm2Report, isSuccess, reportOfRefusal, unansweredReport } from './dm2-report.js';
import { moAddress } from './mo-address.js';

/**
 * Delete: `DELETE <ClientURI>` of each node the mgmtObj stands for (its DM 2.0 objectPaths: the instance node of a
 * software-<x>, the MO instance of a single-instance MO), else its instance node or MO instance by the table.
 */
export async function deleteMgmtObj(deps: Dm2OperationDeps, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
  let uris: string[];
  try {
    const address = moAddress(deps.table(), obj, (moid) => deps.miids(device.deviceId, moid));
    const paths = (obj.obps ?? []).filter((path) => path.startsWith(`${address.mapping.moUrn}/`));
    uris = paths.length > 0 ? paths : [address.instanceNode === undefined ? `${address.base}/` : address.clientUri(address.instanceNode)];
  } catch (error) {
    return reportOfRefusal('delete', error);
  }
  const outcomes = await deps.dispatch.send(device.deviceId, uris.map((uri) => ['DELETE', uri] as const), ctx, callKey(ctx, 'delete', obj.ri));
  let code = 200;
  for (const [index, outcome] of outcomes.entries()) {
    if (!('answer' in outcome)) return unansweredReport('delete', outcome);
    const { sc } = outcome.answer;
    if (!isSuccess(sc)) return dm2Report('delete', sc, { detail: `(OMA DM 2.0 DELETE ${uris[index]} → ${sc})` });
    if (code === 200) code = sc;
  }
  return dm2Report('delete', code);
}

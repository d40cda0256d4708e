import type { DeviceCallContext, DeviceReport, DeviceRef, MgmtObjRef } from '../../core/device-adapter.js';
import type { MappingSet } from '../../mappings/types.js';
import { RequestRefusedError } from './errors.js';
import { expectCode } from './negotiated-exchange.js';
import { instanceOf } from './object-path.js';
import { mappingOf, type OperationDeps } from './operation-deps.js';
import { reportOfError, successReport } from './device-report.js';

/** Delete: LwM2M Delete of a multi-instance object's instance; instances of single-instance objects are never deleted. */
export async function deleteMgmtObj(deps: OperationDeps, table: MappingSet, device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport> {
  try {
    const mapping = mappingOf(table, obj);
    if (!mapping.multiInstance) {
      throw new RequestRefusedError(
        '4.05',
        `${obj.type} maps to the single-instance LwM2M object ${mapping.objectId}, whose instance cannot be deleted; nothing was sent`,
      );
    }
    const instance = instanceOf(mapping, obj);
    const path = [instance.objectId, instance.instanceId];
    const exchange = await deps.io.channel.exchange(device.deviceId, 'delete', { method: 'DELETE', path: path.map(String) }, ctx);
    expectCode(exchange, '2.02', 'delete', path);
    deps.instances.deleted(exchange.client, instance);
    return successReport('delete', '2.02');
  } catch (error) {
    return reportOfError('delete', error);
  }
}

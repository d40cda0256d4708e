import type { DeviceAdapter, DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation } from '../../core/device-adapter.js';

/** A DM version's operations, each for a device that has credentials. */
export interface DmOperations {
  retrieve(device: DeviceRef, objs: readonly MgmtObjRef[], ctx: DeviceCallContext, named?: readonly string[]): Promise<DeviceReport[]>;
  update(device: DeviceRef, obj: MgmtObjRef, changes: Record<string, unknown>, ctx: DeviceCallContext): Promise<DeviceReport>;
  create(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport>;
  delete(device: DeviceRef, obj: MgmtObjRef, ctx: DeviceCallContext): Promise<DeviceReport>;
  resume(device: DeviceRef, obj: MgmtObjRef, resume: unknown, ctx: DeviceCallContext): Promise<DeviceReport>;
}

/**
 * The DeviceAdapter of a DM version: a DevId without credentials can open no session, so its calls are answered at
 * once (`notRegistered`) instead of at the deadline.
 */
export function knownDeviceAdapter(
  protocol: DeviceAdapter['protocol'],
  serves: DeviceAdapter['serves'],
  knows: (devId: string) => Promise<boolean>,
  notRegistered: (operation: OneM2MOperation, devId: string) => DeviceReport,
  operations: DmOperations,
): DeviceAdapter {
  const whenKnown = async <T>(devId: string, run: () => Promise<T>, unknown: (report: DeviceReport) => T, operation: OneM2MOperation): Promise<T> =>
    (await knows(devId)) ? run() : unknown(notRegistered(operation, devId));
  const single = (report: DeviceReport) => report;
  return {
    protocol,
    serves,
    retrieve: (device, obj, attributes, ctx) =>
      whenKnown(device.deviceId, async () => (await operations.retrieve(device, [obj], ctx, attributes))[0], single, 'retrieve'),
    retrieveAll: (device, objs, ctx) => whenKnown(device.deviceId, () => operations.retrieve(device, objs, ctx), (report) => objs.map(() => report), 'retrieve'),
    update: (device, obj, changes, ctx) => whenKnown(device.deviceId, () => operations.update(device, obj, changes, ctx), single, 'update'),
    create: (device, obj, ctx) => whenKnown(device.deviceId, () => operations.create(device, obj, ctx), single, 'create'),
    delete: (device, obj, ctx) => whenKnown(device.deviceId, () => operations.delete(device, obj, ctx), single, 'delete'),
    resume: (device, obj, resume, ctx) => operations.resume(device, obj, resume, ctx),
  };
}

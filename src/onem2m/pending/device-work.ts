import type { DeviceCallContext, DeviceRef, DeviceReport, MgmtObjRef, OneM2MOperation } from '../../core/device-adapter.js';

/**
 * How an operation handler reaches a device for the request it serves: the call's context (signal, deadline, progress)
 * and what the handler gets back come from the request's pending operation.
 */
export interface DeviceWork {
  /**
   * One adapter call about one mgmtObj. Resolves with the final report or, for a blocking request, with the first
   * `accepted` one (the call then goes on and its final report updates the mgmtObj later). A call that outlives its
   * operation's end gets the `expired` report.
   */
  call(device: DeviceRef, obj: MgmtObjRef, operation: OneM2MOperation, invoke: (ctx: DeviceCallContext) => Promise<DeviceReport>): Promise<DeviceReport>;
  /** One adapter call about several mgmtObjs (a `<node>` read with its children): final reports only. */
  callAll(device: DeviceRef, invoke: (ctx: DeviceCallContext) => Promise<DeviceReport[]>): Promise<DeviceReport[]>;
}

import type { DeviceRef, MgmtObjRef } from '../../core/device-adapter.js';
import type { RequestPrimitive } from '../../core/primitives.js';

/** A request primitive as stored with its operation: everything but the signal. */
export type StoredRequest = Omit<RequestPrimitive, 'signal'>;

/** What a pending operation does, as data (PendingOperation.plan). */
export interface OperationPlan {
  /** The request, run again after a restart while nothing was sent to the device. */
  request: StoredRequest;
  /** Whether its final response goes to the request's X-M2M-RTU targets (rt=2, or rt=4 going on as rt=2). */
  notify?: boolean;
  /** The device asked, once a command went out (a restart then leaves its outcome unknown). */
  device?: DeviceRef;
  /** Set once the device accepted work that completes later: what the adapter needs to carry on after a restart. */
  accepted?: { device: DeviceRef; obj: MgmtObjRef; resume: unknown };
}

/** The request without its signal (stored as JSON only when its operation becomes durable). */
export function storedRequest(req: RequestPrimitive): StoredRequest {
  const { signal: _signal, ...stored } = req;
  return stored;
}

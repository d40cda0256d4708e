/** Why a device call's signal aborted (DeviceCallContext.signal's reason is an OperationEnded). */
export type EndReason = 'deadline' | 'withdrawn' | 'client-gone' | 'shutdown';

const MESSAGES: Record<EndReason, string> = {
  deadline: "the operation's deadline passed",
  withdrawn: 'the operation was withdrawn (its <request> was deleted or expired)',
  'client-gone': 'the client went away before the answer',
  shutdown: 'the proxy is shutting down',
};

export class OperationEnded extends Error {
  constructor(readonly reason: EndReason) {
    super(MESSAGES[reason]);
  }
}

/** Whether a signal aborted because its deadline passed (an adapter then reports its own expiry outcome). */
export function endedByDeadline(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof OperationEnded && signal.reason.reason === 'deadline';
}

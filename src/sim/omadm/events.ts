/** One line of `dm-proxy simulate omadm` output: what happened to which device, when. */
export interface DmSimEvent {
  event: string;
  devId: string;
  time: string;
  [detail: string]: unknown;
}

export type DmSimEventSink = (event: DmSimEvent) => void;

export function dmSimEvent(devId: string, event: string, details: Record<string, unknown> = {}): DmSimEvent {
  return { event, devId, time: new Date().toISOString(), ...details };
}

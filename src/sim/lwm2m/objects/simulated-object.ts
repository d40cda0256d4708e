import type { PackageDownloads } from '../downloads/package-downloads.js';
import type { InstanceContent, ObjectStore } from '../object-store.js';
import type { Scheduler } from '../../common/scheduler.js';

/** Delays of the simulated state machines, in ms (short defaults keep tests fast). */
export interface SimTiming {
  /** How long the device stays silent after Reboot / Factory Reset before it registers again. */
  rebootMs: number;
  /** A `sim:` or pushed package download of firmware (/5) and software (/9), and the software verification step. */
  downloadMs: number;
  /** Firmware Updating (/5 State 3) before the result. */
  updateMs: number;
  /** Software Install (/9) before INSTALLED. */
  installMs: number;
}

export interface FirmwareBehaviour {
  /** Firmware Version (/3/0/3) and PkgVersion (/5/0/7) after a successful update. */
  newVersion: string;
  /** Update Result a completed download ends with instead of State 2 (e.g. 5 integrity failure). */
  downloadFailure?: number;
  /** Update Result the update ends with instead of success (e.g. 8 update failed); State goes back to 2. */
  updateFailure?: number;
}

export interface SoftwareBehaviour {
  /** Update Result the download ends with (e.g. 52 connection lost, 53 integrity failure). */
  downloadFailure?: number;
  /** Update Result the install ends with (e.g. 58 install failure); Update State stays DELIVERED. */
  installFailure?: number;
}

/** What an object's behaviour may touch. */
export interface DeviceContext {
  readonly endpoint: string;
  readonly store: ObjectStore;
  readonly timers: Scheduler;
  /** Package transfers, one per object instance (`/5/0`, `/9/1`). */
  readonly downloads: Pick<PackageDownloads, 'start' | 'cancel'>;
  readonly timing: SimTiming;
  readonly firmware: FirmwareBehaviour;
  readonly software: SoftwareBehaviour;
  /** Answer first, then go silent for `timing.rebootMs` and register again. */
  reboot(): void;
  /** Restore the factory state, then reboot. */
  factoryReset(): void;
  /** Send a Registration Update soon (after the current answer). */
  requestUpdate(): void;
}

/** Outcome of an Execute handler: nothing for 2.04 Changed, or a CoAP error code such as `4.05`. */
export type ExecuteOutcome = string | void;

export interface SimulatedObject {
  readonly id: number;
  /** Content of a new instance (the default instances and Create start from it). */
  defaults(instanceId: number, ctx: DeviceContext): InstanceContent;
  readonly execute?: Readonly<Record<number, (ctx: DeviceContext, instanceId: number, args: string) => ExecuteOutcome>>;
  /** Reacts to a successful Write of `resourceId` (starting a download...). */
  written?(ctx: DeviceContext, instanceId: number, resourceId: number): void;
  /** Refreshes live values (Current Time) before a Read. */
  beforeRead?(ctx: DeviceContext, instanceId: number): void;
}

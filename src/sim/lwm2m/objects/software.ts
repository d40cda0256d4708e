import type { LongTimer } from '../../../core/long-timer.js';
import type { DownloadFailure } from '../downloads/download-outcome.js';
import { packageUriProblem, type PackageSource } from '../downloads/package-downloads.js';
import type { ResourceContent } from '../object-store.js';
import type { DeviceContext, SimulatedObject } from './simulated-object.js';

const PKG_NAME = 0;
const PKG_VERSION = 1;
const PACKAGE = 2;
const PACKAGE_URI = 3;
const UPDATE_STATE = 7;
const UPDATE_RESULT = 9;
const ACTIVATION_STATE = 12;

const UpdateState = { Initial: 0, DownloadStarted: 1, Downloaded: 2, Delivered: 3, Installed: 4 } as const;
const Result = { Initial: 0, Downloading: 1, Installed: 2, Delivered: 3 } as const;

/** Update Result of a failed download; /9 has no "unsupported protocol", so a URI the device cannot fetch is an invalid one. */
const RESULT_BY_FAILURE: Record<DownloadFailure, number> = {
  'too-large': 50, // not enough storage
  'connection-lost': 52,
  'invalid-uri': 56,
  'unsupported-protocol': 56,
};

/**
 * /9 Software Management state machine per instance: Package URI (fetched like firmware) or Package → DOWNLOAD STARTED →
 * DOWNLOADED → DELIVERED; Install (only when DELIVERED) → INSTALLED after a delay; Activate / Deactivate
 * (only when INSTALLED) set the Activation State; Uninstall (DELIVERED or INSTALLED) → INITIAL.
 * Executing in any other state answers 4.05. Instance 0 starts INSTALLED and active.
 */
export function softwareObject(): SimulatedObject {
  const pending = new Map<number, LongTimer>();

  const set = (ctx: DeviceContext, instanceId: number, updateState: number, result: number): void => {
    ctx.store.set(9, instanceId, UPDATE_STATE, updateState);
    ctx.store.set(9, instanceId, UPDATE_RESULT, result);
  };
  const later = (ctx: DeviceContext, instanceId: number, ms: number, step: () => void): void => {
    ctx.timers.cancel(pending.get(instanceId));
    pending.set(instanceId, ctx.timers.after(ms, step));
  };
  const download = (ctx: DeviceContext, instanceId: number, source: PackageSource): void => {
    ctx.timers.cancel(pending.get(instanceId));
    set(ctx, instanceId, UpdateState.DownloadStarted, Result.Downloading);
    ctx.downloads.start(`/9/${instanceId}`, source, (outcome) => {
      if (!outcome.ok) return set(ctx, instanceId, UpdateState.Initial, RESULT_BY_FAILURE[outcome.failure]);
      const failure = ctx.software.downloadFailure;
      if (failure !== undefined) return set(ctx, instanceId, UpdateState.Initial, failure);
      set(ctx, instanceId, UpdateState.Downloaded, Result.Downloading);
      later(ctx, instanceId, ctx.timing.downloadMs, () => set(ctx, instanceId, UpdateState.Delivered, Result.Delivered));
    });
  };
  const state = (ctx: DeviceContext, instanceId: number): unknown => ctx.store.get(9, instanceId, UPDATE_STATE);

  return {
    id: 9,
    defaults: (instanceId) =>
      instanceId === 0
        ? new Map<number, ResourceContent>([
            [PKG_NAME, 'sim-app'],
            [PKG_VERSION, '1.0.0'],
            [PACKAGE_URI, ''],
            [UPDATE_STATE, UpdateState.Installed],
            [UPDATE_RESULT, Result.Installed],
            [ACTIVATION_STATE, true],
          ])
        : new Map<number, ResourceContent>([
            [PKG_NAME, ''],
            [PKG_VERSION, ''],
            [PACKAGE_URI, ''],
            [UPDATE_STATE, UpdateState.Initial],
            [UPDATE_RESULT, Result.Initial],
            [ACTIVATION_STATE, false],
          ]),
    written: (ctx, instanceId, resourceId) => {
      if (resourceId === PACKAGE) {
        const pkg = ctx.store.get(9, instanceId, PACKAGE);
        ctx.store.instance(9, instanceId)!.delete(PACKAGE); // write-only: never read back
        download(ctx, instanceId, { pushedBytes: Buffer.isBuffer(pkg) ? pkg.length : 0 });
      }
      if (resourceId === PACKAGE_URI) {
        const uri = String(ctx.store.get(9, instanceId, PACKAGE_URI));
        if (uri === '') return;
        const problem = packageUriProblem(uri);
        if (problem) return set(ctx, instanceId, UpdateState.Initial, RESULT_BY_FAILURE[problem]);
        download(ctx, instanceId, { uri });
      }
    },
    execute: {
      4: (ctx, instanceId) => {
        if (state(ctx, instanceId) !== UpdateState.Delivered) return '4.05';
        later(ctx, instanceId, ctx.timing.installMs, () => {
          const failure = ctx.software.installFailure;
          if (failure !== undefined) return set(ctx, instanceId, UpdateState.Delivered, failure);
          set(ctx, instanceId, UpdateState.Installed, Result.Installed);
          ctx.store.set(9, instanceId, ACTIVATION_STATE, false);
        });
      },
      6: (ctx, instanceId) => {
        const current = state(ctx, instanceId);
        if (current !== UpdateState.Delivered && current !== UpdateState.Installed) return '4.05';
        ctx.timers.cancel(pending.get(instanceId));
        ctx.downloads.cancel(`/9/${instanceId}`);
        set(ctx, instanceId, UpdateState.Initial, Result.Initial);
        ctx.store.set(9, instanceId, ACTIVATION_STATE, false);
      },
      10: (ctx, instanceId) => {
        if (state(ctx, instanceId) !== UpdateState.Installed) return '4.05';
        ctx.store.set(9, instanceId, ACTIVATION_STATE, true);
      },
      11: (ctx, instanceId) => {
        if (state(ctx, instanceId) !== UpdateState.Installed) return '4.05';
        ctx.store.set(9, instanceId, ACTIVATION_STATE, false);
      },
    },
  };
}

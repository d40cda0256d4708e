import type { LongTimer } from '../../../core/long-timer.js';
import type { DownloadFailure } from '../downloads/download-outcome.js';
import { packageUriProblem, type PackageSource } from '../downloads/package-downloads.js';
import type { ResourceContent } from '../object-store.js';
import type { DeviceContext, SimulatedObject } from './simulated-object.js';

const PACKAGE = 0;
const PACKAGE_URI = 1;
const STATE = 3;
const UPDATE_RESULT = 5;
const PKG_VERSION = 7;
const DEVICE_FIRMWARE_VERSION = 3;

const enum State { Idle = 0, Downloading = 1, Downloaded = 2, Updating = 3 }
const RESULT_INITIAL = 0;
const RESULT_SUCCESS = 1;
const RESULT_CANCELLED = 10;
const TARGET = '/5/0';

/** Update Result of a failed download. */
const RESULT_BY_FAILURE: Record<DownloadFailure, number> = {
  'too-large': 2, // not enough flash memory for the new firmware package
  'connection-lost': 4,
  'invalid-uri': 7,
  'unsupported-protocol': 9,
};

/** Firmware Update Protocol Support (/5/0/8): CoAP, HTTP 1.1, HTTPS 1.1, the schemes the simulator fetches. */
const SUPPORTED_PROTOCOLS = [0, 2, 3];

/**
 * /5 Firmware Update state machine: a Package URI (or Package) starts a download (State 0→1→2; http, https
 * and coap URIs are really fetched, `sim:` URIs and pushed packages complete after `downloadMs`), Update
 * (only in State 2, else 4.05) goes to State 3 and then to State 0 with Result 1 and the new version.
 * An empty URI or an empty Package resets to State 0 / Result 0; an unparsable URI gives Result 7, an
 * unsupported scheme Result 9, a failed transfer Result 4 (7 when the server has no such package).
 */
export function firmwareObject(): SimulatedObject {
  let pending: LongTimer | undefined;

  const setState = (ctx: DeviceContext, state: State, result: number): void => {
    ctx.store.set(5, 0, STATE, state);
    ctx.store.set(5, 0, UPDATE_RESULT, result);
  };
  const later = (ctx: DeviceContext, ms: number, step: () => void): void => {
    ctx.timers.cancel(pending);
    pending = ctx.timers.after(ms, step);
  };
  const startDownload = (ctx: DeviceContext, source: PackageSource): void => {
    ctx.timers.cancel(pending);
    setState(ctx, State.Downloading, RESULT_INITIAL);
    ctx.downloads.start(TARGET, source, (outcome) => {
      if (!outcome.ok) return setState(ctx, State.Idle, RESULT_BY_FAILURE[outcome.failure]);
      const failure = ctx.firmware.downloadFailure;
      if (failure === undefined) setState(ctx, State.Downloaded, RESULT_INITIAL);
      else setState(ctx, State.Idle, failure);
    });
  };
  const reset = (ctx: DeviceContext, result = RESULT_INITIAL): void => {
    ctx.timers.cancel(pending);
    ctx.downloads.cancel(TARGET);
    setState(ctx, State.Idle, result);
  };

  return {
    id: 5,
    defaults: () =>
      new Map<number, ResourceContent>([
        [PACKAGE_URI, ''],
        [STATE, State.Idle],
        [UPDATE_RESULT, RESULT_INITIAL],
        [6, 'sim-firmware'],
        [PKG_VERSION, '1.0.0'],
        [8, new Map(SUPPORTED_PROTOCOLS.map((protocol, index) => [index, protocol]))],
        [9, 2], // pull and push
      ]),
    written: (ctx, _instanceId, resourceId) => {
      if (resourceId === PACKAGE) {
        const pkg = ctx.store.get(5, 0, PACKAGE);
        const empty = !Buffer.isBuffer(pkg) || pkg.length === 0 || (pkg.length === 1 && pkg[0] === 0);
        ctx.store.instance(5, 0)!.delete(PACKAGE); // write-only: never read back
        if (empty) reset(ctx);
        else startDownload(ctx, { pushedBytes: (pkg as Buffer).length });
      }
      if (resourceId === PACKAGE_URI) {
        const uri = String(ctx.store.get(5, 0, PACKAGE_URI));
        if (uri === '') return reset(ctx);
        const problem = packageUriProblem(uri);
        if (problem) return reset(ctx, RESULT_BY_FAILURE[problem]);
        startDownload(ctx, { uri });
      }
    },
    execute: {
      2: (ctx) => {
        if (ctx.store.get(5, 0, STATE) !== State.Downloaded) return '4.05';
        setState(ctx, State.Updating, RESULT_INITIAL);
        later(ctx, ctx.timing.updateMs, () => {
          const failure = ctx.firmware.updateFailure;
          if (failure !== undefined) return setState(ctx, State.Downloaded, failure);
          ctx.store.set(5, 0, PKG_VERSION, ctx.firmware.newVersion);
          ctx.store.set(3, 0, DEVICE_FIRMWARE_VERSION, ctx.firmware.newVersion);
          setState(ctx, State.Idle, RESULT_SUCCESS);
        });
      },
      10: (ctx) => {
        const state = ctx.store.get(5, 0, STATE);
        if (state !== State.Downloading && state !== State.Downloaded) return '4.05';
        reset(ctx, RESULT_CANCELLED);
      },
    },
  };
}

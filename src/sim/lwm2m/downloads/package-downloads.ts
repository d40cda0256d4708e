import type { Scheduler } from '../../common/scheduler.js';
import { fetchCoapPackage } from './coap-download.js';
import { failed, type DownloadFailure, type DownloadOutcome, type DownloadProgress, type PackageFetcher } from './download-outcome.js';
import { fetchHttpPackage } from './http-download.js';

/** `sim:<name>`: a package that needs no transfer, for demonstrations (done after `timing.downloadMs`). */
const SIMULATED_SCHEME = 'sim:';

const FETCHERS: Record<string, PackageFetcher> = { 'http:': fetchHttpPackage, 'https:': fetchHttpPackage, 'coap:': fetchCoapPackage };

/** A progress event per tenth of an announced size, else per this many bytes. */
const PROGRESS_STEP_BYTES = 64 * 1024;

/** What a download reports, for `device.on('download')`; `target` is the object instance (`/5/0`, `/9/1`). */
export type DownloadEvent =
  | { phase: 'started'; target: string; uri: string }
  | { phase: 'progress'; target: string; uri: string; received: number; total?: number }
  | { phase: 'finished'; target: string; uri: string; bytes: number }
  | { phase: 'failed'; target: string; uri: string; failure: DownloadFailure; reason: string };

/** Where the package comes from: a URI to pull, or bytes the server pushed into the Package resource. */
export type PackageSource = { uri: string } | { pushedBytes: number };

/** Whether a Package URI can be fetched: undefined when it can, else why not. */
export function packageUriProblem(uri: string): DownloadFailure | undefined {
  if (!URL.canParse(uri)) return 'invalid-uri';
  const scheme = new URL(uri).protocol;
  return scheme === SIMULATED_SCHEME || scheme in FETCHERS ? undefined : 'unsupported-protocol';
}

/**
 * The device's package downloads, at most one per object instance: http, https and coap URIs are really
 * fetched, `sim:` URIs and pushed packages complete after `downloadMs`. Starting a new download for a
 * target, cancel() and cancelAll() abort the running one, whose completion is then never reported.
 */
export class PackageDownloads {
  private readonly running = new Map<string, () => void>();

  constructor(
    private readonly timers: Scheduler,
    private readonly simulatedMs: () => number,
    private readonly report: (event: DownloadEvent) => void,
  ) {}

  start(target: string, source: PackageSource, done: (outcome: DownloadOutcome) => void): void {
    this.cancel(target);
    const uri = 'uri' in source ? source.uri : 'package';
    let live = true;
    const finish = (outcome: DownloadOutcome): void => {
      if (!live) return;
      live = false;
      this.running.delete(target);
      this.report(outcome.ok ? { phase: 'finished', target, uri, bytes: outcome.bytes } : { phase: 'failed', target, uri, failure: outcome.failure, reason: outcome.reason });
      done(outcome);
    };
    this.report({ phase: 'started', target, uri });
    const problem = 'uri' in source ? packageUriProblem(uri) : undefined;
    if (problem) return finish(failed(problem, `cannot fetch ${uri}`));
    const fetcher = 'uri' in source ? FETCHERS[new URL(uri).protocol] : undefined;
    if (!fetcher) {
      const bytes = 'pushedBytes' in source ? source.pushedBytes : 0;
      const timer = this.timers.after(this.simulatedMs(), () => finish({ ok: true, bytes }));
      this.running.set(target, () => {
        live = false;
        this.timers.cancel(timer);
      });
      return;
    }
    const abort = new AbortController();
    this.running.set(target, () => {
      live = false;
      abort.abort();
    });
    const progress = this.throttledProgress(target, uri, () => live);
    fetcher(new URL(uri), abort.signal, progress).then(finish, (error: unknown) => finish(failed('connection-lost', String(error))));
  }

  cancel(target: string): void {
    this.running.get(target)?.();
    this.running.delete(target);
  }

  cancelAll(): void {
    for (const target of [...this.running.keys()]) this.cancel(target);
  }

  private throttledProgress(target: string, uri: string, live: () => boolean): (progress: DownloadProgress) => void {
    let reported = 0;
    return ({ received, total }) => {
      const step = total ? Math.max(1, Math.ceil(total / 10)) : PROGRESS_STEP_BYTES;
      if (!live() || received - reported < step) return;
      reported = received;
      this.report({ phase: 'progress', target, uri, received, total });
    };
  }
}

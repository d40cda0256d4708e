/** Why a package download failed; each object maps it to its own Update Result. */
export type DownloadFailure = 'invalid-uri' | 'unsupported-protocol' | 'connection-lost' | 'too-large';

export type DownloadOutcome = { ok: true; bytes: number } | { ok: false; failure: DownloadFailure; reason: string };

export interface DownloadProgress {
  received: number;
  /** Announced size, when the server gave one. */
  total?: number;
}

/** Fetches one package; resolves (never rejects) with the outcome; an aborted fetch may resolve with anything. */
export type PackageFetcher = (url: URL, signal: AbortSignal, progress: (progress: DownloadProgress) => void) => Promise<DownloadOutcome>;

/** Larger packages end the download with "not enough storage" (a simulated device has limited flash). */
export const MAX_PACKAGE_BYTES = 64 * 1024 * 1024;

export function failed(failure: DownloadFailure, reason: string): DownloadOutcome {
  return { ok: false, failure, reason };
}

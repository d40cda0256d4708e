import { failed, MAX_PACKAGE_BYTES, type DownloadOutcome, type DownloadProgress } from './download-outcome.js';

/** GET over http or https with node's fetch: 4xx = the URI names no package, 5xx or a broken transfer = connection lost. */
export async function fetchHttpPackage(url: URL, signal: AbortSignal, progress: (progress: DownloadProgress) => void): Promise<DownloadOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    return failed('connection-lost', `cannot reach ${url.host}: ${causeOf(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const reason = `${url.href} answered HTTP ${response.status}`;
    return failed(response.status >= 400 && response.status < 500 ? 'invalid-uri' : 'connection-lost', reason);
  }
  const announced = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isSafeInteger(announced) && announced >= 0 ? announced : undefined;
  if (total !== undefined && total > MAX_PACKAGE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    return failed('too-large', `${url.href} is ${total} bytes, more than ${MAX_PACKAGE_BYTES}`);
  }
  let received = 0;
  try {
    for await (const chunk of response.body ?? []) {
      received += (chunk as Uint8Array).byteLength;
      if (received > MAX_PACKAGE_BYTES) return failed('too-large', `${url.href} sent more than ${MAX_PACKAGE_BYTES} bytes`);
      progress({ received, total });
    }
  } catch (error) {
    return failed('connection-lost', `transfer from ${url.host} broke off after ${received} bytes: ${causeOf(error)}`);
  }
  if (total !== undefined && received !== total) return failed('connection-lost', `${url.href} announced ${total} bytes, sent ${received}`);
  return { ok: true, bytes: received };
}

/** fetch wraps the network error (ECONNREFUSED...) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause.message : undefined;
  return inner ?? (error instanceof Error ? error.message : String(error));
}

import http from 'node:http';
import https from 'node:https';

export type PostResult = { delivered: true } | { delivered: false; reason: string };

/** HTTP 2xx, or a oneM2M receiver's X-M2M-RSC 2xxx, is a delivered notification. */
function outcome(status: number, rsc: string | undefined): PostResult {
  const code = Number(rsc);
  if ((status >= 200 && status < 300) || (Number.isInteger(code) && code >= 2000 && code < 3000)) return { delivered: true };
  return { delivered: false, reason: `HTTP ${status}${rsc === undefined ? '' : ` with X-M2M-RSC ${rsc}`}` };
}

/**
 * One POST of `body` to `url`. Only the status line and headers are read: the body of the answer is discarded
 * unread, redirects are not followed, and an answer whose headers do not arrive within `timeoutMs` (or an abort of
 * `signal`) ends the attempt. Never rejects.
 */
export function postNotify(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal): Promise<PostResult> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ delivered: false, reason: 'closed' });
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: false,
    });
    const finish = (result: PostResult): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ delivered: false, reason: 'closed' });
    const timer = setTimeout(() => finish({ delivered: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      const rsc = response.headers['x-m2m-rsc'];
      finish(outcome(response.statusCode ?? 0, Array.isArray(rsc) ? rsc[0] : rsc));
    });
    request.on('error', (error: NodeJS.ErrnoException) => finish({ delivered: false, reason: error.code ?? error.message }));
    request.end(body);
  });
}

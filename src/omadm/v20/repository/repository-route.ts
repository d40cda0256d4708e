import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../common/read-body.js';
import type { DataRepository } from './data-repository.js';

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

/**
 * The HTTP side of the repository: `GET <DM2_PATH>/repo/<token>` (a device's HGET) and `PUT|POST` (HPUT/HPOST).
 * Unknown -> 404, used or expired -> 410, wrong method -> 405, upload too large -> 413 (the URI stays open).
 */
export async function serveRepository(repository: DataRepository, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!TOKEN.test(token)) return plain(res, 404, 'no such repository URI');
  const answer = await repository.answer(req.method ?? 'GET', token, async (limit) => {
    const body = await readBody(req, limit);
    return body && { contentType: req.headers['content-type'] ?? 'application/octet-stream', body };
  });
  if (answer.status === 200) {
    res.writeHead(200, { 'content-type': answer.data.contentType, 'content-length': String(answer.data.body.length), 'cache-control': 'no-store' }).end(answer.data.body);
  } else if (answer.status === 204) res.writeHead(204).end();
  else plain(res, answer.status, answer.reason, { ...(answer.allow ? { allow: answer.allow } : {}), ...(answer.status === 413 ? { connection: 'close' } : {}) });
}

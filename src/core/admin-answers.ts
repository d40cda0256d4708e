import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from './logger.js';

/** A technology module's admin API error: `{error}`, with `details` when there are several problems. */
export function adminFail(res: Response, status: number, error: string, details?: string[]): void {
  res.status(status).json(details ? { error, details } : { error });
}

/** The last handler of a module's admin router: bad JSON and other client errors as 4xx, anything else logged and 500. */
export function adminErrors(logger: Logger, api: string): ErrorRequestHandler {
  return (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (err.type === 'entity.parse.failed') return adminFail(res, 400, `body is not valid JSON: ${err.message}`);
    if (err.status && err.status >= 400 && err.status < 500) return adminFail(res, err.status, err.message ?? 'bad request');
    logger.error({ err }, `${api} admin API failed`);
    adminFail(res, 500, 'internal error');
  };
}

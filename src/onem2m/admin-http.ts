import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../core/logger.js';

/** One log line per `/admin` request, whatever answers it (a router, the guard or the 404). */
export function adminRequestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      logger.info({
        method: req.method,
        path: req.originalUrl.split('?')[0],
        originator: req.get('X-M2M-Origin'),
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
      }, 'admin request');
    });
    next();
  };
}

/** `/admin` paths no admin router knows: a JSON 404, not a oneM2M answer. */
export function adminNotFound(req: Request, res: Response): void {
  res.status(404).json({ error: `no admin resource ${req.method} ${req.originalUrl.split('?')[0]}` });
}

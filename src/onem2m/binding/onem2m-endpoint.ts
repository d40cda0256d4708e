import { performance } from 'node:perf_hooks';
import type { ErrorRequestHandler, Request, RequestHandler as ExpressHandler, Response } from 'express';
import type { Logger } from '../../core/logger.js';
import { Operation, errorResponse, type RequestHandler } from '../../core/primitives.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { RESPONSE_MEDIA_TYPES } from './media-types.js';
import { decodeRequest, operationOf } from './request-decoder.js';
import { headerValue } from './request-headers.js';
import type { RequestMetrics } from './request-metrics.js';
import { writeResponse, type ResponseContext } from './response-writer.js';

export interface Onem2mEndpointDeps {
  handler: RequestHandler;
  logger: Logger;
  metrics: RequestMetrics;
  defaultDeviceTimeoutMs: number;
  bodyLimitBytes: number;
  /** The request's AbortSignal (set by the server's in-flight tracking). */
  signalOf(res: Response): AbortSignal;
}

/** The operation a request names, when it names one (for labels of metrics and logs). */
function operationIfKnown(req: Request): Operation | undefined {
  try {
    return operationOf(req.method, req.headers['content-type']).op;
  } catch {
    return undefined;
  }
}

function responseContext(req: Request): ResponseContext {
  return {
    rqi: headerValue(req.headers, 'x-m2m-ri'),
    rvi: headerValue(req.headers, 'x-m2m-rvi'),
    // An Accept naming only types we cannot produce still gets JSON: an answer the client can read beats 406.
    mediaType: req.accepts([...RESPONSE_MEDIA_TYPES]) || RESPONSE_MEDIA_TYPES[0],
  };
}

function rawQueryOf(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start + 1).split('#')[0];
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** The oneM2M side of the HTTP server: every request that is not health, metrics or admin. */
export function createOnem2mEndpoint(deps: Onem2mEndpointDeps): { handle: ExpressHandler; handleError: ErrorRequestHandler } {
  const { logger } = deps;

  function answer(req: Request, res: Response, response: unknown, context: ResponseContext, started: number): void {
    const rsc = writeResponse(res, response, context);
    const seconds = (performance.now() - started) / 1000;
    const operation = context.op === undefined ? 'unknown' : Operation[context.op].toLowerCase();
    deps.metrics.observe(operation, rsc, seconds);
    logger.info({
      method: req.method,
      path: req.path,
      ri: context.rqi,
      originator: headerValue(req.headers, 'x-m2m-origin'),
      rsc,
      durationMs: Math.round(seconds * 1000),
    }, 'oneM2M request');
  }

  function failure(err: unknown, context: ResponseContext) {
    if (err instanceof RequestError) return errorResponse(err.rsc, context.rqi ?? '', err.dbg);
    logger.error({ err, ri: context.rqi }, 'oneM2M request failed inside the proxy');
    return errorResponse(RSC.INTERNAL_SERVER_ERROR, context.rqi ?? '', 'internal error');
  }

  const handle: ExpressHandler = async (req, res) => {
    const started = performance.now();
    const context = responseContext(req);
    let response: unknown;
    try {
      const operation = operationOf(req.method, req.headers['content-type']);
      context.op = operation.op;
      const primitive = await decodeRequest(
        { path: req.path, rawQuery: rawQueryOf(req.url), headers: req.headers, body: Buffer.isBuffer(req.body) ? req.body : undefined },
        operation,
        {
          now: Date.now(),
          defaultTimeoutMs: deps.defaultDeviceTimeoutMs,
          signal: deps.signalOf(res),
          onUnknownQueryParameter: (name) => logger.debug({ parameter: name, ri: context.rqi }, 'ignored unknown query parameter'),
        },
      );
      response = await deps.handler.handle(primitive);
    } catch (err) {
      response = failure(err, context);
    }
    answer(req, res, response, context, started);
  };

  /** Errors before the endpoint ran (body too large, bad encoding...) and anything else thrown: still a oneM2M answer. */
  const handleError: ErrorRequestHandler = (err: BodyParserError, req, res, next) => {
    if (res.headersSent) return next(err);
    const started = performance.now();
    const context = { ...responseContext(req), op: operationIfKnown(req) };
    let response;
    if (err.type === 'entity.too.large') {
      response = errorResponse(RSC.BAD_REQUEST, context.rqi ?? '', `content larger than the limit of ${deps.bodyLimitBytes} bytes`);
    } else if (err.type === 'encoding.unsupported') {
      response = errorResponse(RSC.UNSUPPORTED_MEDIA_TYPE, context.rqi ?? '', `unsupported Content-Encoding: ${err.message}`);
    } else if (err.type !== undefined && err.status !== undefined && err.status >= 400 && err.status < 500) {
      response = errorResponse(RSC.BAD_REQUEST, context.rqi ?? '', `unreadable request body: ${err.message}`);
    } else {
      response = failure(err, context);
    }
    answer(req, res, response, context, started);
  };

  return { handle, handleError };
}

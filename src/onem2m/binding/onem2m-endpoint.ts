import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import express from 'express';
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
  signalOf(res: ServerResponse): AbortSignal;
}

/** Serves a request (plain node http: the oneM2M hot path runs without express's router and request decoration). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The operation a request names, when it names one (for labels of metrics and logs). */
function operationIfKnown(req: IncomingMessage): Operation | undefined {
  try {
    return operationOf(req.method ?? '', req.headers['content-type']).op;
  } catch {
    return undefined;
  }
}

const accepts = express.request.accepts as (this: IncomingMessage, types: string[]) => string | false;
const negotiated = new Map<string, string>();
/** Distinct Accept headers whose negotiation is remembered (clients send a handful). */
const NEGOTIATED_MAX = 256;

/** express's Accept negotiation (q-values, wildcards, specificity), remembered per Accept header. */
function responseMediaType(req: IncomingMessage): string {
  const accept = req.headers.accept ?? '';
  let mediaType = negotiated.get(accept);
  if (mediaType === undefined) {
    // An Accept naming only types we cannot produce still gets JSON: an answer the client can read beats 406.
    mediaType = accepts.call(req, [...RESPONSE_MEDIA_TYPES]) || RESPONSE_MEDIA_TYPES[0];
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
    negotiated.set(accept, mediaType);
  }
  return mediaType;
}

function responseContext(req: IncomingMessage): ResponseContext {
  return {
    rqi: headerValue(req.headers, 'x-m2m-ri'),
    rvi: headerValue(req.headers, 'x-m2m-rvi'),
    mediaType: responseMediaType(req),
  };
}

/** The request target's path as received (percent-encoded), without query and fragment. */
function pathOf(url: string): string {
  if (!url.startsWith('/')) {
    try {
      return new URL(url).pathname; // absolute-form request target
    } catch {
      return url;
    }
  }
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

function rawQueryOf(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start + 1).split('#')[0];
}

type WithBody = IncomingMessage & { body?: unknown };

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** The oneM2M side of the HTTP server: every request that is not health, metrics or admin. */
export function createOnem2mEndpoint(deps: Onem2mEndpointDeps): { handle: HttpHandler } {
  const { logger } = deps;
  // the body as a Buffer (any type), within the size limit, decompressed: express's raw parser, without express
  const readBody = express.raw({ type: () => true, limit: deps.bodyLimitBytes });

  function answer(req: IncomingMessage, res: ServerResponse, response: unknown, context: ResponseContext, started: number): void {
    const rsc = writeResponse(res, response, context);
    const seconds = (performance.now() - started) / 1000;
    const operation = context.op === undefined ? 'unknown' : Operation[context.op].toLowerCase();
    deps.metrics.observe(operation, rsc, seconds);
    if (!logger.isLevelEnabled('info')) return;
    logger.info({
      method: req.method,
      path: pathOf(req.url ?? '/'),
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

  const handleParsed = async (req: WithBody, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const context = responseContext(req);
    let response: unknown;
    try {
      const operation = operationOf(req.method ?? '', req.headers['content-type']);
      context.op = operation.op;
      const url = req.url ?? '/';
      const primitive = await decodeRequest(
        { path: pathOf(url), rawQuery: rawQueryOf(url), headers: req.headers, body: Buffer.isBuffer(req.body) ? req.body : undefined },
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

  /** Errors before the request was decoded (body too large, bad encoding...): still a oneM2M answer. */
  const handleError = (err: BodyParserError, req: IncomingMessage, res: ServerResponse): void => {
    if (res.headersSent) {
      res.destroy(err);
      return;
    }
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

  const handle: HttpHandler = (req, res) => {
    const failed = (err: unknown): void => {
      try {
        handleError(err as BodyParserError, req, res);
      } catch (error) {
        logger.error({ err: error }, 'answering a failed oneM2M request failed');
        res.destroy();
      }
    };
    readBody(req as never, res as never, (err?: unknown) => {
      if (err) failed(err);
      else handleParsed(req, res).catch(failed);
    });
  };

  return { handle };
}

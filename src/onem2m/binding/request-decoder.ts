import type { IncomingHttpHeaders } from 'node:http';
import { Operation, type RequestPrimitive, type ResponseTypeInfo } from '../../core/primitives.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { decodeContent } from './content-codec.js';
import { parseRequestContentType, type RequestContentType } from './media-types.js';
import { parseQuery } from './query-parameters.js';
import { resultPersistenceMs } from './result-persistence.js';
import { parseRequestHeaders } from './request-headers.js';
import { targetFromPath } from './target-path.js';

export interface OperationOfRequest {
  op: Operation;
  contentType?: RequestContentType;
}

/** HTTP method (+ `ty=` in Content-Type for POST) → oneM2M operation (TS-0009 §6.2.1). */
export function operationOf(method: string, contentTypeHeader: string | undefined): OperationOfRequest {
  switch (method) {
    case 'GET':
      return { op: Operation.Retrieve };
    case 'DELETE':
      return { op: Operation.Delete };
    case 'PUT':
      return { op: Operation.Update, contentType: parseRequestContentType(contentTypeHeader) };
    case 'POST': {
      const contentType = parseRequestContentType(contentTypeHeader);
      return { op: contentType?.ty === undefined ? Operation.Notify : Operation.Create, contentType };
    }
    default:
      throw new RequestError(RSC.OPERATION_NOT_ALLOWED, `HTTP method ${method} is not a oneM2M operation: use POST, GET, PUT or DELETE`);
  }
}

export interface HttpRequestParts {
  /** Path as received (percent-encoded), without the query. */
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

export interface DecodeContext {
  now: number;
  defaultTimeoutMs: number;
  signal: AbortSignal;
  onUnknownQueryParameter?: (name: string) => void;
}

const NEEDS_CONTENT = new Set([Operation.Create, Operation.Update, Operation.Notify]);

/** The rest of the request → a RequestPrimitive; any flaw → RequestError with its RSC. Bodies of Retrieve and Delete are ignored. */
export async function decodeRequest(request: HttpRequestParts, operation: OperationOfRequest, context: DecodeContext): Promise<RequestPrimitive> {
  const { op, contentType } = operation;
  const headers = parseRequestHeaders(request.headers, context.now, context.defaultTimeoutMs);
  const to = targetFromPath(request.path);
  const query = parseQuery(request.rawQuery, context.onUnknownQueryParameter);

  let pc: Record<string, unknown> | undefined;
  if (NEEDS_CONTENT.has(op)) {
    if (request.body === undefined || request.body.length === 0) {
      throw new RequestError(RSC.BAD_REQUEST, `content required: ${Operation[op]} needs a resource representation in the body`);
    }
    if (contentType === undefined) throw new RequestError(RSC.UNSUPPORTED_MEDIA_TYPE, 'Content-Type missing: the body must be JSON or XML');
    pc = await decodeContent(contentType.serialization, request.body);
  }

  let rt: ResponseTypeInfo | undefined;
  if (query.rtv !== undefined || headers.rtu !== undefined) {
    // Without `rt` the request is blocking (rtv 3), the default of TS-0004.
    rt = { rtv: query.rtv ?? 3, ...(headers.rtu !== undefined && { nu: headers.rtu }) };
  }

  return {
    op,
    to,
    fr: headers.fr,
    rqi: headers.rqi,
    rvi: headers.rvi,
    ty: op === Operation.Create ? contentType?.ty : undefined,
    pc,
    rcn: query.rcn,
    rt,
    ot: headers.ot,
    rqet: headers.rqet,
    rset: headers.rset,
    oet: headers.oet,
    ec: headers.ec,
    vsi: headers.vsi,
    drt: query.drt,
    fc: query.fc,
    atrl: query.atrl,
    ...(query.rp !== undefined ? { rp: query.rp, resultPersistenceMs: resultPersistenceMs(query.rp, context.now) } : {}),
    ...(headers.resultExpiresAt !== undefined ? { resultExpiresAt: headers.resultExpiresAt } : {}),
    deadline: headers.deadline,
    signal: context.signal,
  };
}

import type { ServerResponse } from 'node:http';
import { Operation, errorResponse, type ResponsePrimitive } from '../../core/primitives.js';
import { oneM2MTimestamp } from '../resources/onem2m-time.js';
import { RSC, httpStatusForRsc } from '../../core/rsc.js';
import { encodeContent } from './content-codec.js';
import { serializationOf } from './media-types.js';
import { pathFromTarget } from './target-path.js';

export interface ResponseContext {
  /** Known once the method (and Content-Type) named it. */
  op?: Operation;
  /** Echoed from the request when it carried them. */
  rqi?: string;
  rvi?: string;
  /** Negotiated from Accept. */
  mediaType: string;
}

function isResponsePrimitive(value: unknown): value is ResponsePrimitive {
  const candidate = value as ResponsePrimitive | null;
  return typeof candidate === 'object' && candidate !== null && Number.isInteger(candidate.rsc)
    && (candidate.pc === undefined || (typeof candidate.pc === 'object' && candidate.pc !== null && !Array.isArray(candidate.pc)));
}

/** Serialized body, or undefined when the content cannot be serialized. */
function encodeBody(response: ResponsePrimitive, mediaType: string): { body?: string } | undefined {
  if (response.pc === undefined) return {};
  try {
    return { body: encodeContent(serializationOf(mediaType), response.pc) };
  } catch {
    return undefined;
  }
}

/** Free text as a header value: characters a header cannot carry (controls, non-ASCII) become `?`. */
function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * Response primitive → HTTP (TS-0009 §6.3, §6.4): status from the RSC, `X-M2M-RSC` always, RI/RVI echoed,
 * `Content-Location` on Create, `X-M2M-CTS` / `X-M2M-CTO` / `X-M2M-VSI` when the primitive has a Content Status / Content Offset / Vendor Information.
 * Returns the RSC actually sent: a response that cannot be serialized becomes 5000.
 */
export function writeResponse(res: ServerResponse, candidate: unknown, context: ResponseContext): number {
  let response = isResponsePrimitive(candidate) ? candidate : errorResponse(RSC.INTERNAL_SERVER_ERROR, context.rqi ?? '', 'internal error: invalid response primitive');
  let encoded = encodeBody(response, context.mediaType);
  if (encoded === undefined) {
    response = errorResponse(RSC.INTERNAL_SERVER_ERROR, response.rqi, 'internal error: response content cannot be serialized');
    encoded = encodeBody(response, context.mediaType) ?? {};
  }
  if (res.headersSent || res.destroyed) return response.rsc;

  res.statusCode = httpStatusForRsc(response.rsc);
  res.setHeader('X-M2M-RSC', String(response.rsc));
  const rqi = context.rqi ?? (response.rqi || undefined);
  if (rqi !== undefined) res.setHeader('X-M2M-RI', rqi);
  if (context.rvi !== undefined) res.setHeader('X-M2M-RVI', context.rvi);
  res.setHeader('X-M2M-OT', oneM2MTimestamp());
  if (context.op === Operation.Create && response.contentLocation) res.setHeader('Content-Location', pathFromTarget(response.contentLocation));
  if (response.cnst !== undefined) res.setHeader('X-M2M-CTS', String(response.cnst));
  if (response.cnot !== undefined) res.setHeader('X-M2M-CTO', String(response.cnot));
  if (response.vsi !== undefined) res.setHeader('X-M2M-VSI', headerText(response.vsi));
  if (encoded.body === undefined) {
    res.setHeader('Content-Length', '0');
    res.end();
    return response.rsc;
  }
  res.setHeader('Content-Type', context.mediaType);
  res.setHeader('Content-Length', String(Buffer.byteLength(encoded.body)));
  res.end(encoded.body);
  return response.rsc;
}

import { ContentFormat } from '../../lwm2m/formats/index.js';
import type { DeviceAnswer } from './coap-endpoint.js';
import type { DeviceManagement, DmRequest } from './dm-operations.js';

const NO_ANSWER: DeviceAnswer = { code: 'none' };

/**
 * lwm2m-node-lib's client behaviour: it reads and writes single resources as plain text and answers
 * without a Content-Format option; a request for several values or in another format is never answered,
 * so the server times out instead of getting 4.06.
 */
export function answerTextOnly(request: DmRequest, management: DeviceManagement): DeviceAnswer {
  const { method, path, accept, contentFormat, payload } = request;
  if (method === 'GET' && accept !== ContentFormat.LINK_FORMAT) {
    if (path.length < 3 || (accept !== undefined && accept !== ContentFormat.TEXT)) return NO_ANSWER;
    const read = management.handle({ ...request, accept: ContentFormat.TEXT });
    return read.code === '4.06' ? NO_ANSWER : withoutFormat(read);
  }
  const writesValues = (method === 'PUT' || (method === 'POST' && path.length === 2)) && payload.length > 0;
  if (writesValues && (path.length < 3 || contentFormat !== ContentFormat.TEXT)) return NO_ANSWER;
  return withoutFormat(management.handle(request));
}

function withoutFormat(answer: DeviceAnswer): DeviceAnswer {
  return { ...answer, contentFormat: undefined };
}

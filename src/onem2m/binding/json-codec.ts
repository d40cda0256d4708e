import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { checkContent, type Content } from './content-shape.js';

export function decodeJson(text: string): Content {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RequestError(RSC.BAD_REQUEST, `malformed JSON: ${(err as Error).message}`);
  }
  return checkContent(value);
}

export function encodeJson(content: Content): string {
  return JSON.stringify(content);
}

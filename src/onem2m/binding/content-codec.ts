import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import type { Content } from './content-shape.js';
import { decodeJson, encodeJson } from './json-codec.js';
import type { Serialization } from './media-types.js';
import { decodeXml, encodeXml } from './xml-codec.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Request body → content, in the serialization its Content-Type names. */
export async function decodeContent(serialization: Serialization, body: Buffer): Promise<Content> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new RequestError(RSC.BAD_REQUEST, 'content is not valid UTF-8');
  }
  return serialization === 'xml' ? decodeXml(text) : decodeJson(text);
}

export function encodeContent(serialization: Serialization, content: Content): string {
  return serialization === 'xml' ? encodeXml(content) : encodeJson(content);
}

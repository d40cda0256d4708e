/** A SyncML DM XML message (bytes or text) → SyncmlMessage; every refusal is a SyncmlDecodeError. */
import { decodeBody } from './decode-commands.js';
import { SyncmlDecodeError } from './decode-error.js';
import { decodeHeader } from './decode-header.js';
import { child, structureError } from './decode-parts.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits.js';
import type { SyncmlMessage } from './model.js';
import { type XmlElement, parseXmlTree } from './xml-tree.js';

function byteLength(input: Buffer | string): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
}

export function checkMessageSize(size: number, limits: DecodeLimits): void {
  if (size > limits.maxBytes) throw new SyncmlDecodeError('limit', `message of ${size} bytes is over the limit of ${limits.maxBytes}`, 413);
}

export function decodeSyncml(input: Buffer | string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): SyncmlMessage {
  checkMessageSize(byteLength(input), limits);
  return decodeSyncmlTree(parseXmlTree(typeof input === 'string' ? input : input.toString('utf8'), limits), limits);
}

/** The element tree of either encoding (XML, WBXML) → SyncmlMessage. */
export function decodeSyncmlTree(root: XmlElement, limits: DecodeLimits): SyncmlMessage {
  if (root.name !== 'SyncML') throw structureError(`the root element is <${root.name}>, not <SyncML>`);
  const headerElement = child(root, 'SyncHdr');
  if (!headerElement) throw structureError('<SyncML> has no <SyncHdr>');
  const header = decodeHeader(headerElement);
  const syncBody = child(root, 'SyncBody');
  try {
    if (!syncBody) throw structureError('<SyncML> has no <SyncBody>');
    return { header, ...decodeBody(syncBody, limits) };
  } catch (error) {
    if (error instanceof SyncmlDecodeError && !error.header) throw error.withHeader(header);
    throw error;
  }
}

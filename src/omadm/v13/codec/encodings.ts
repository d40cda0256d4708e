/** XML or WBXML: the two encodings of one SyncML DM model, chosen by the media type a device posts with. */
import { decodeSyncml } from './decode-message.js';
import { encodeSyncml } from './encode-message.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits.js';
import type { SyncmlMessage } from './model.js';
import { decodeSyncmlWbxml } from './wbxml/decode-wbxml.js';
import { encodeSyncmlWbxml } from './wbxml/encode-wbxml.js';

export type SyncmlEncoding = 'xml' | 'wbxml';

export function decodeSyncmlAs(encoding: SyncmlEncoding, body: Buffer, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): SyncmlMessage {
  return encoding === 'wbxml' ? decodeSyncmlWbxml(body, limits) : decodeSyncml(body, limits);
}

export function encodeSyncmlAs(encoding: SyncmlEncoding, message: SyncmlMessage): Buffer | string {
  return encoding === 'wbxml' ? encodeSyncmlWbxml(message) : encodeSyncml(message);
}

/** Bytes of `message` in `encoding`: what a MaxMsgSize limits. */
export function encodedByteLength(encoding: SyncmlEncoding, message: SyncmlMessage): number {
  return encoding === 'wbxml' ? encodeSyncmlWbxml(message).length : Buffer.byteLength(encodeSyncml(message), 'utf8');
}

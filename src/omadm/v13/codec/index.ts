/** The SyncML DM 1.2/1.3 codec, XML and WBXML: typed messages, decoding with limits and no DTD, ordered encoding, media types. */
export type * from './model.js';
export { decodeSyncml } from './decode-message.js';
export { encodeSyncml } from './encode-message.js';
export { decodeSyncmlWbxml } from './wbxml/decode-wbxml.js';
export { encodeSyncmlWbxml } from './wbxml/encode-wbxml.js';
export { type SyncmlEncoding, decodeSyncmlAs, encodeSyncmlAs, encodedByteLength } from './encodings.js';
export { SyncmlDecodeError, type DecodeErrorKind } from './decode-error.js';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits.js';
export { KNOWN_FORMATS, type KnownFormat, normaliseFormat, sameFormat } from './formats.js';
export { isXmlSafeText } from './xml-text.js';
export {
  SYNCML_DM_WBXML, SYNCML_DM_XML, SYNCML_DS_WBXML, SYNCML_DS_XML, type SyncmlMediaType, answerContentType, syncmlMediaType,
} from './media-types.js';

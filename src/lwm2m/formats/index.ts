import { cborValueCodec } from './cbor-value.js';
import type { FormatCodec } from './codec.js';
import { MAX_CONTENT_BYTES } from './limits.js';
import { lwm2mJsonCodec } from './lwm2m-json.js';
import { opaqueCodec } from './opaque.js';
import { senmlCborCodec } from './senml-cbor.js';
import { senmlJsonCodec } from './senml-json.js';
import { textCodec } from './text.js';
import { tlvCodec } from './tlv.js';
import { Lwm2mDecodeError, type Lwm2mPath, type ResourceValue, type TypeResolver } from './model.js';

export { MAX_CONTENT_BYTES, MAX_VALUES } from './limits.js';

export const ContentFormat = {
  TEXT: 0,
  LINK_FORMAT: 40,
  OPAQUE: 42,
  CBOR: 60,
  SENML_JSON: 110,
  SENML_CBOR: 112,
  TLV: 11542,
  LWM2M_JSON: 11543,
  LWM2M_CBOR: 11544,
  OLD_TEXT: 1541,
  OLD_TLV: 1542,
  OLD_JSON: 1543,
  OLD_OPAQUE: 1544,
} as const;

const CODECS = new Map<number, FormatCodec>([
  [ContentFormat.TEXT, textCodec],
  [ContentFormat.OLD_TEXT, textCodec],
  [ContentFormat.OPAQUE, opaqueCodec],
  [ContentFormat.OLD_OPAQUE, opaqueCodec],
  [ContentFormat.CBOR, cborValueCodec],
  [ContentFormat.SENML_JSON, senmlJsonCodec],
  [ContentFormat.SENML_CBOR, senmlCborCodec],
  [ContentFormat.TLV, tlvCodec],
  [ContentFormat.OLD_TLV, tlvCodec],
  [ContentFormat.LWM2M_JSON, lwm2mJsonCodec],
  [ContentFormat.OLD_JSON, lwm2mJsonCodec],
]);

/** Content-Formats decodeContent / encodeContent handle (link-format is decoded by `link-format.ts`). */
export const DECODABLE_FORMATS: readonly number[] = [...CODECS.keys()];

/** True for formats that carry several resource values (instances, objects), false for single-value ones and unknown numbers. */
export function isMultiValueFormat(format: number): boolean {
  return CODECS.get(format)?.multiValue ?? false;
}

function codecFor(format: number): FormatCodec {
  const codec = CODECS.get(format);
  if (!codec) throw new Lwm2mDecodeError(`unsupported content format ${format}`);
  return codec;
}

/** Decodes a device payload of the given Content-Format into resource values below `requestPath`. Throws Lwm2mDecodeError. */
export function decodeContent(format: number, payload: Buffer, requestPath: Lwm2mPath, types: TypeResolver): ResourceValue[] {
  const codec = codecFor(format);
  if (payload.length > MAX_CONTENT_BYTES) {
    throw new Lwm2mDecodeError(`payload of ${payload.length} bytes exceeds the ${MAX_CONTENT_BYTES}-byte limit`);
  }
  return codec.decode(payload, requestPath, types);
}

/** Encodes resource values below `requestPath` in the given Content-Format. Throws Lwm2mEncodeError (a Lwm2mDecodeError). */
export function encodeContent(format: number, values: ResourceValue[], requestPath: Lwm2mPath, types: TypeResolver): Buffer {
  return codecFor(format).encode(values, requestPath, types);
}

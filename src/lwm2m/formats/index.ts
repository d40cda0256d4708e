import type { Lwm2mPath, ResourceValue, TypeResolver } from './model.js';

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

/** Decodes a device payload of the given Content-Format into resource values below `requestPath`. Throws Lwm2mDecodeError. */
export function decodeContent(_format: number, _payload: Buffer, _requestPath: Lwm2mPath, _types: TypeResolver): ResourceValue[] {
  throw new Error('not implemented yet');
}

/** Encodes resource values below `requestPath` in the given Content-Format. */
export function encodeContent(_format: number, _values: ResourceValue[], _requestPath: Lwm2mPath, _types: TypeResolver): Buffer {
  throw new Error('not implemented yet');
}

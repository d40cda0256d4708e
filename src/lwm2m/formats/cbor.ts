/** cbor-x set up for untrusted device payloads: no record/structure extensions, maps keep their key types, bytes copied out. */
import { Decoder, Encoder } from 'cbor-x';
import { Lwm2mDecodeError } from './model.js';

const options = { useRecords: false, mapsAsObjects: false, copyBuffers: true } as const;
const decoder = new Decoder(options);
const encoder = new Encoder(options);

/** One complete CBOR item; any cbor-x failure (truncation, trailing bytes, nesting too deep) becomes a Lwm2mDecodeError. */
export function decodeCbor(payload: Buffer, format: string): unknown {
  try {
    return decoder.decode(payload);
  } catch (error) {
    throw new Lwm2mDecodeError(`${format} payload is not valid CBOR: ${(error as Error).message}`);
  }
}

export function encodeCbor(value: unknown): Buffer {
  return encoder.encode(value);
}

/** CBOR numbers arrive as number, or bigint for 64-bit encodings. */
export function isCborNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

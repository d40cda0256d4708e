/** A cursor over WBXML bytes: every read checks the bytes are there, so truncated input is a clear error, never a crash. */
import { SyncmlDecodeError } from '../decode-error.js';

export function wbxmlError(message: string): SyncmlDecodeError {
  return new SyncmlDecodeError('wbxml', `malformed WBXML: ${message}`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes → text; anything else is refused (the only charset accepted is UTF-8). */
export function utf8(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw wbxmlError(`${what} is not UTF-8 text`);
  }
}

/** mb_u_int32 is at most five bytes of seven bits. */
const MB_U_INT32_MAX_BYTES = 5;
const UINT32_MAX = 0xffff_ffff;

export class ByteReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get offset(): number {
    return this.at;
  }

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(what: string): number {
    if (this.at >= this.bytes.length) throw wbxmlError(`the message ends where ${what} was expected (offset ${this.at})`);
    return this.bytes[this.at++];
  }

  /** WBXML's multi-byte unsigned integer; over five bytes or over 2^32-1 is refused. */
  mbUInt32(what: string): number {
    const start = this.at;
    let value = 0;
    for (let count = 1; count <= MB_U_INT32_MAX_BYTES; count++) {
      const byte = this.byte(what);
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) {
        if (value > UINT32_MAX) throw wbxmlError(`${what} at offset ${start} is over 2^32-1`);
        return value;
      }
    }
    throw wbxmlError(`${what} at offset ${start} is longer than ${MB_U_INT32_MAX_BYTES} bytes`);
  }

  bytesOf(length: number, what: string): Uint8Array {
    if (length > this.remaining) throw wbxmlError(`${what} of ${length} bytes at offset ${this.at} runs past the end of the message`);
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }

  /** An inline string: bytes up to a NUL (which is consumed). */
  terminated(what: string): Uint8Array {
    const end = this.bytes.indexOf(0, this.at);
    if (end < 0) throw wbxmlError(`${what} at offset ${this.at} has no terminating NUL`);
    const slice = this.bytes.subarray(this.at, end);
    this.at = end + 1;
    return slice;
  }
}

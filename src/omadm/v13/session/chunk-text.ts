/** Splitting an Item's Data into large-object chunks (reference §1.7); shared by the server and the simulated device. */

/** A chunk before the last accepted and buffered. */
export const CHUNK_ACCEPTED = 213;
/** The object is larger than the receiver takes. */
export const TOO_LARGE = 413;
/** The assembled object's size is not the Size of its first chunk. */
export const SIZE_MISMATCH = 424;
/** Chunks one object may take (each costs a message and a session-record write; empty ones never reach a byte bound). */
export const MAX_CHUNKS = 4096;

/** An object's size as Meta Size counts it: the bytes of its Data as transmitted (UTF-8; base64 text for b64). */
export function objectSize(data: string): number {
  return Buffer.byteLength(data, 'utf8');
}

/** What one character costs inside an XML Data element: its escape (codec/xml-text.ts) or its UTF-8 bytes. */
function encodedCost(codePoint: number): number {
  if (codePoint === 0x26 || codePoint === 0x0d) return 5; // &amp; &#13;
  if (codePoint === 0x3c || codePoint === 0x3e) return 4; // &lt; &gt;
  if (codePoint < 0x80) return codePoint < 0x20 && codePoint !== 0x09 && codePoint !== 0x0a ? 3 : 1; // others become U+FFFD
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * The end (a string index) of the next chunk of `data` from `start` whose encoded XML text takes at most `room` bytes;
 * never splits a surrogate pair, so every chunk is text of its own. Equals `start` when not one character fits.
 */
export function chunkEnd(data: string, start: number, room: number): number {
  let used = 0;
  let at = start;
  while (at < data.length) {
    const codePoint = data.codePointAt(at) as number;
    used += encodedCost(codePoint);
    if (used > room) break;
    at += codePoint > 0xffff ? 2 : 1;
  }
  return at;
}

import type { SyncHdr } from './model.js';

/**
 * Why a message was refused. `xml` (not well-formed or truncated), `wbxml` (malformed or truncated WBXML, or WBXML
 * SyncML does not use: attributes, unknown tokens or code pages, a charset other than UTF-8), `dtd` (DOCTYPE or entity declaration),
 * `limit` (size, depth or command count), `structure` (well-formed but not a SyncML DM message), `version`
 * (VerDTD or VerProto not supported).
 */
export type DecodeErrorKind = 'xml' | 'wbxml' | 'dtd' | 'limit' | 'structure' | 'version';

/**
 * The one error the decoder throws. `syncmlStatus` is the code for the header Status when the server answers
 * in SyncML; `header` is set when the SyncHdr itself was readable, so an answer can echo it. Without a
 * header the server can only answer with `httpStatus`.
 */
export class SyncmlDecodeError extends Error {
  override readonly name = 'SyncmlDecodeError';

  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
    readonly syncmlStatus: number = 400,
    readonly header?: SyncHdr,
  ) {
    super(message);
  }

  get httpStatus(): 400 | 413 {
    return this.kind === 'limit' && this.syncmlStatus === 413 ? 413 : 400;
  }

  withHeader(header: SyncHdr): SyncmlDecodeError {
    return new SyncmlDecodeError(this.kind, this.message, this.syncmlStatus, header);
  }
}

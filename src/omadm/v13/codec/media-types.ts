/**
 * The SyncML media types a DM client may post. The DM types are the standard; Intel libdmclient posts the
 * SyncML DS types instead. The server answers in the type the client used.
 */
import type { SyncmlEncoding } from './encodings.js';

export const SYNCML_DM_XML = 'application/vnd.syncml.dm+xml';
export const SYNCML_DM_WBXML = 'application/vnd.syncml.dm+wbxml';
export const SYNCML_DS_XML = 'application/vnd.syncml+xml';
export const SYNCML_DS_WBXML = 'application/vnd.syncml+wbxml';

export interface SyncmlMediaType {
  /** The type as the answer carries it (lower case, no parameters). */
  mediaType: string;
  encoding: SyncmlEncoding;
  family: 'dm' | 'ds';
}

const KNOWN: ReadonlyMap<string, SyncmlMediaType> = new Map(
  [
    { mediaType: SYNCML_DM_XML, encoding: 'xml', family: 'dm' },
    { mediaType: SYNCML_DM_WBXML, encoding: 'wbxml', family: 'dm' },
    { mediaType: SYNCML_DS_XML, encoding: 'xml', family: 'ds' },
    { mediaType: SYNCML_DS_WBXML, encoding: 'wbxml', family: 'ds' },
  ].map((type) => [type.mediaType, type as SyncmlMediaType]),
);

/** A Content-Type header (parameters such as charset ignored, any case) → which SyncML type it is; undefined if none. */
export function syncmlMediaType(contentType: string | undefined): SyncmlMediaType | undefined {
  if (!contentType) return undefined;
  return KNOWN.get(contentType.split(';')[0].trim().toLowerCase());
}

/** The Content-Type of the answer to a message received as `received`: the same type, bare (clients compare it as a string). */
export function answerContentType(received: SyncmlMediaType): string {
  return received.mediaType;
}

/** The WBXML header: version, public id (a number, or an index into the string table), charset, string table. */
import { type ByteReader, utf8, wbxmlError } from './byte-reader.js';
import { SYNCML12_FPI, SYNCML12_PUBLIC_ID, UNKNOWN_PUBLIC_ID, UTF8_MIBENUM } from './tokens.js';

/** WBXML 1.0 has no charset field; 1.1 to 1.3 share the layout. */
const WBXML_1_0 = 0x00;
const WBXML_1_3 = 0x03;

export class StringTable {
  constructor(private readonly bytes: Uint8Array) {}

  /** The NUL-terminated string at `offset`; an offset outside the table, or a string without its NUL, is refused. */
  at(offset: number): string {
    if (offset >= this.bytes.length) throw wbxmlError(`string table reference ${offset} is outside the table of ${this.bytes.length} bytes`);
    const end = this.bytes.indexOf(0, offset);
    if (end < 0) throw wbxmlError(`the string at ${offset} in the string table has no terminating NUL`);
    return utf8(this.bytes.subarray(offset, end), `the string at ${offset} in the string table`);
  }
}

export interface WbxmlHeader {
  version: number;
  strings: StringTable;
}

function describePublicId(id: number): string {
  return `0x${id.toString(16).padStart(4, '0')}`;
}

export function readHeader(reader: ByteReader): WbxmlHeader {
  const version = reader.byte('the WBXML version');
  if (version > WBXML_1_3) throw wbxmlError(`WBXML version 0x${version.toString(16)} is not supported (1.0 to 1.3)`);
  const publicId = reader.mbUInt32('the public identifier');
  const fpiIndex = publicId === 0 ? reader.mbUInt32('the public identifier string index') : undefined;
  if (version !== WBXML_1_0) {
    const charset = reader.mbUInt32('the charset');
    if (charset !== UTF8_MIBENUM) throw wbxmlError(`charset ${charset} is not supported: SyncML WBXML must be UTF-8 (MIBenum ${UTF8_MIBENUM})`);
  }
  const length = reader.mbUInt32('the string table length');
  const strings = new StringTable(reader.bytesOf(length, 'the string table'));
  if (fpiIndex !== undefined) {
    const fpi = strings.at(fpiIndex);
    if (fpi !== SYNCML12_FPI) throw wbxmlError(`public identifier "${fpi.slice(0, 60)}" is not "${SYNCML12_FPI}"`);
  } else if (publicId !== SYNCML12_PUBLIC_ID && publicId !== UNKNOWN_PUBLIC_ID) {
    throw wbxmlError(`public identifier ${describePublicId(publicId)} is not SyncML 1.2 (${describePublicId(SYNCML12_PUBLIC_ID)})`);
  }
  return { version, strings };
}

/**
 * The WBXML body → the element tree the XML decoder builds (xml-tree.ts), so the SyncML readers serve both encodings.
 * SyncML uses no attributes, literal tags, extensions or processing instructions: they are refused. Every step reads
 * at least one byte, so no input loops.
 */
import { SyncmlDecodeError } from '../decode-error.js';
import type { DecodeLimits } from '../limits.js';
import type { XmlElement } from '../xml-tree.js';
import { ByteReader, utf8, wbxmlError } from './byte-reader.js';
import { readHeader } from './wbxml-header.js';
import { GLOBAL, TAG_HAS_ATTRIBUTES, TAG_HAS_CONTENT, TAG_MASK, TAG_NAMES } from './tokens.js';

export interface WbxmlTree {
  root: XmlElement;
  /** Elements whose whole content was one OPAQUE: their bytes, so a Data of Format bin can be read as binary. */
  opaque: Map<XmlElement, Uint8Array>;
  /** Those of them whose bytes are not UTF-8 (their text is ''): binary, acceptable only as Data of Format bin. */
  binary: Set<XmlElement>;
}

/** An XML element takes at least four bytes (`<a/>`), a WBXML one a single byte: the same message size bounds fewer XML elements. */
const SMALLEST_XML_ELEMENT_BYTES = 4;

interface Open {
  element: XmlElement;
  /** Text pieces while open; joined on END. */
  text: string[];
  /** OPAQUE bytes while they are the only content so far. */
  opaque?: Uint8Array;
}

/** OPAQUE bytes among other text: they must be UTF-8. */
function flushOpaque(top: Open): Open {
  if (top.opaque !== undefined) top.text.push(utf8(top.opaque, `OPAQUE data in <${top.element.name}>`));
  top.opaque = undefined;
  return top;
}

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8(bytes, 'OPAQUE data');
  } catch {
    return undefined;
  }
}

const NOT_USED_BY_SYNCML: ReadonlyMap<number, string> = new Map([
  [GLOBAL.LITERAL, 'LITERAL (a tag named in the string table)'],
  [GLOBAL.LITERAL_C, 'LITERAL_C (a tag named in the string table)'],
  [GLOBAL.LITERAL_A, 'LITERAL_A (a tag named in the string table)'],
  [GLOBAL.LITERAL_AC, 'LITERAL_AC (a tag named in the string table)'],
  [GLOBAL.PI, 'PI (a processing instruction)'],
  ...[GLOBAL.EXT_I_0, GLOBAL.EXT_I_1, GLOBAL.EXT_I_2, GLOBAL.EXT_T_0, GLOBAL.EXT_T_1, GLOBAL.EXT_T_2, GLOBAL.EXT_0, GLOBAL.EXT_1, GLOBAL.EXT_2].map(
    (token) => [token, `the extension token 0x${token.toString(16)}`] as const,
  ),
]);

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

export function parseWbxmlTree(bytes: Uint8Array, limits: DecodeLimits): WbxmlTree {
  const reader = new ByteReader(bytes);
  const { strings } = readHeader(reader);
  const maxElements = Math.max(1, Math.floor(limits.maxBytes / SMALLEST_XML_ELEMENT_BYTES));
  const opaque = new Map<XmlElement, Uint8Array>();
  const binary = new Set<XmlElement>();
  const open: Open[] = [];
  let root: XmlElement | undefined;
  let page = 0;
  let elements = 0;
  let textChars = 0;
  const budget = (text: string): string => {
    textChars += text.length;
    if (textChars > limits.maxBytes) throw new SyncmlDecodeError('limit', `more than ${limits.maxBytes} characters of text in one message`, 413);
    return text;
  };

  const current = (what: string): Open => {
    const top = open.at(-1);
    if (!top) throw wbxmlError(`${what} at offset ${reader.offset - 1} is outside the root element`);
    return top;
  };

  const openTag = (tag: number) => {
    const offset = reader.offset - 1;
    if (root !== undefined && open.length === 0) throw wbxmlError(`a second root element at offset ${offset}`);
    if (tag & TAG_HAS_ATTRIBUTES) throw wbxmlError(`the tag ${hex(tag)} at offset ${offset} has attributes, which SyncML does not use`);
    const name = TAG_NAMES.get(page)?.get(tag & TAG_MASK);
    if (name === undefined) throw wbxmlError(`unknown tag ${hex(tag & TAG_MASK)} on code page ${page} at offset ${offset}`);
    if (open.length >= limits.maxElementDepth) throw new SyncmlDecodeError('limit', `elements nested deeper than ${limits.maxElementDepth} levels`);
    if (++elements > maxElements) throw new SyncmlDecodeError('limit', `more than ${maxElements} elements in one message`, 413);
    const element: XmlElement = { name, attributes: {}, text: '', children: [] };
    const parent = open.at(-1);
    if (parent) parent.element.children.push(element);
    else root = element;
    if (tag & TAG_HAS_CONTENT) open.push({ element, text: [] });
  };

  while (root === undefined || open.length > 0) {
    const token = reader.byte(root === undefined ? 'the root element' : `the end of <${open.at(-1)!.element.name}>`);
    switch (token) {
      case GLOBAL.SWITCH_PAGE: {
        const next = reader.byte('the code page');
        if (!TAG_NAMES.has(next)) throw wbxmlError(`unknown code page ${next} at offset ${reader.offset - 1} (SyncML has 0 and MetInf 1)`);
        page = next;
        break;
      }
      case GLOBAL.END: {
        const closed = current('END');
        open.pop();
        if (closed.opaque !== undefined) {
          const text = tryUtf8(closed.opaque);
          opaque.set(closed.element, closed.opaque);
          if (text === undefined) binary.add(closed.element);
          closed.element.text = text ?? '';
        } else {
          closed.element.text = closed.text.join('');
        }
        break;
      }
      case GLOBAL.STR_I:
        flushOpaque(current('an inline string')).text.push(budget(utf8(reader.terminated('an inline string'), `the inline string at offset ${reader.offset}`)));
        break;
      case GLOBAL.STR_T:
        flushOpaque(current('a string table reference')).text.push(budget(strings.at(reader.mbUInt32('a string table reference'))));
        break;
      case GLOBAL.ENTITY: {
        const top = flushOpaque(current('an entity'));
        const code = reader.mbUInt32('an entity');
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw wbxmlError(`entity ${code} is not a Unicode character`);
        top.text.push(String.fromCodePoint(code));
        break;
      }
      case GLOBAL.OPAQUE: {
        const top = current('OPAQUE data');
        const data = reader.bytesOf(reader.mbUInt32('the OPAQUE length'), 'OPAQUE data');
        if (top.text.length === 0 && top.opaque === undefined) top.opaque = data;
        else flushOpaque(top).text.push(utf8(data, `OPAQUE data in <${top.element.name}>`));
        break;
      }
      default: {
        const refused = NOT_USED_BY_SYNCML.get(token);
        if (refused !== undefined) throw wbxmlError(`${refused} at offset ${reader.offset - 1} is not used by SyncML`);
        openTag(token);
      }
    }
  }
  if (!reader.done) throw wbxmlError(`${reader.remaining} bytes after the end of the root element`);
  return { root: root!, opaque, binary };
}

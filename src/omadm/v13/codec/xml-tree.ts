/**
 * SyncML XML text → a tree of elements with children in document order (xml2js with explicitChildren and
 * preserveChildrenOrder). Names are local: a prefix such as `MetInf:` (bound to `syncml:metinf`) is dropped,
 * since DM's element names are unique across its two namespaces.
 * No DTD: a DOCTYPE or entity declaration is refused before parsing, and sax is given only the five XML
 * entities (by default it knows the HTML ones too), so nothing is ever expanded.
 */
import xml2js from 'xml2js';
import { SyncmlDecodeError } from './decode-error.js';
import type { DecodeLimits } from './limits.js';

/**
 * Set by the WBXML decoder on a Data that came as OPAQUE binary (Format bin) and now holds its base64: no XML attribute
 * name can contain a space, so no XML document can set it.
 */
export const BINARY_DATA_MARK = ' opaque-binary';

export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  /** Character data directly inside the element (CDATA included), untrimmed. */
  text: string;
  children: XmlElement[];
}

const CHILDREN = '$$';
const TEXT = '_';
const ATTRIBUTES = '$';
const NAME = '#name';

interface ParsedNode {
  [NAME]: string;
  [CHILDREN]?: ParsedNode[];
  [TEXT]?: string;
  [ATTRIBUTES]?: Record<string, string>;
}

const PARSER_OPTIONS: xml2js.ParserOptions = {
  strict: true,
  async: false,
  explicitRoot: false,
  explicitArray: true,
  explicitChildren: true,
  preserveChildrenOrder: true,
  charsAsChildren: false,
  explicitCharkey: true,
  childkey: CHILDREN,
  charkey: TEXT,
  attrkey: ATTRIBUTES,
  includeWhiteChars: false,
  trim: false,
  normalize: false,
  xmlns: false,
};

const XML_ENTITIES = Object.freeze(Object.assign(Object.create(null), { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }));

/** The sax parser xml2js drives; not in its type declarations. */
interface SaxHooks {
  ENTITIES: Record<string, string>;
  onopentag: (node: unknown) => void;
  onclosetag: (name: string) => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
  ondoctype: (doctype: string) => void;
  onsgmldeclaration: (declaration: string) => void;
}

// Comments and CDATA sections may hold the text "<!ENTITY" as data; everything else may not.
const INERT_SECTIONS: ReadonlyArray<{ open: string; close: string }> = [{ open: '<!--', close: '-->' }, { open: '<![CDATA[', close: ']]>' }];
const DECLARATION = /<!(DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)\b/iy;

/**
 * Before parsing: a DOCTYPE, or any markup declaration (sax would swallow an unclosed quoted one silently). One pass
 * from `<!` to `<!`, stepping over comments and CDATA sections: linear in the text, whatever it holds.
 */
function checkNoDtd(text: string): void {
  let at = text.indexOf('<!');
  while (at >= 0) {
    const inert = INERT_SECTIONS.find((section) => text.startsWith(section.open, at));
    if (inert) {
      const end = text.indexOf(inert.close, at + inert.open.length);
      // unclosed: the rest is inside it, and the parser refuses the document
      if (end < 0) return;
      at = text.indexOf('<!', end + inert.close.length);
      continue;
    }
    DECLARATION.lastIndex = at;
    const found = DECLARATION.exec(text);
    if (found) {
      if (found[1].toUpperCase() === 'DOCTYPE') {
        throw new SyncmlDecodeError('dtd', 'a DOCTYPE is not allowed in a SyncML message (no DTD or entity processing)');
      }
      throw new SyncmlDecodeError('dtd', `markup declarations (<!${found[1].toUpperCase()} ...>) are not allowed in a SyncML message`);
    }
    at = text.indexOf('<!', at + 2);
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Preorder, the order elements were opened in, so `counter` matches the guard's positions. */
function toElement(node: ParsedNode, whitespace: Map<number, string>, counter: { next: number }): XmlElement {
  const index = counter.next++;
  return {
    name: localName(node[NAME]),
    attributes: node[ATTRIBUTES] ?? {},
    text: node[TEXT] ?? whitespace.get(index) ?? '',
    children: (node[CHILDREN] ?? []).map((entry) => toElement(entry, whitespace, counter)),
  };
}

/** sax reports `reason\nLine: 0\nColumn: 8\nChar: ;` with a 0-based line. */
function describeSaxError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.split('\n')[0].trim();
  const position = /Line: (\d+)\s+Column: (\d+)/.exec(message);
  return `malformed XML: ${reason}${position ? ` at line ${Number(position[1]) + 1}, column ${position[2]}` : ''}`;
}

interface Guard {
  refusal(): SyncmlDecodeError | undefined;
  /** Whitespace-only text of childless elements by their position in document order (xml2js drops it). */
  whitespace: Map<number, string>;
}

interface OpenElement {
  index: number;
  text: string;
  mixed: boolean;
}

/** Installs the entity table and the guards on the sax parser; a guard's verdict is kept, then thrown after the parse. */
function guard(parser: xml2js.Parser, limits: DecodeLimits): Guard {
  const sax = (parser as unknown as { saxParser: SaxHooks }).saxParser;
  let refusal: SyncmlDecodeError | undefined;
  const refuse = (error: SyncmlDecodeError) => {
    refusal ??= error;
    throw error;
  };
  sax.ENTITIES = Object.create(XML_ENTITIES);
  const whitespace = new Map<number, string>();
  const open: OpenElement[] = [];
  let opened = 0;
  const { onopentag, onclosetag, ontext, oncdata } = sax;
  sax.onopentag = (node) => {
    if (open.length >= limits.maxElementDepth) refuse(new SyncmlDecodeError('limit', `elements nested deeper than ${limits.maxElementDepth} levels`));
    const parent = open.at(-1);
    if (parent) parent.mixed = true;
    open.push({ index: opened++, text: '', mixed: false });
    onopentag(node);
  };
  sax.onclosetag = (name) => {
    const element = open.pop();
    if (element && !element.mixed && element.text !== '' && element.text.trim() === '') whitespace.set(element.index, element.text);
    onclosetag(name);
  };
  sax.ontext = (text) => {
    const element = open.at(-1);
    if (element) element.text += text;
    ontext(text);
  };
  sax.oncdata = (text) => {
    const element = open.at(-1);
    // xml2js keeps text with CDATA whole.
    if (element) element.mixed = true;
    oncdata(text);
  };
  sax.ondoctype = () => refuse(new SyncmlDecodeError('dtd', 'a DOCTYPE is not allowed in a SyncML message (no DTD or entity processing)'));
  sax.onsgmldeclaration = () => refuse(new SyncmlDecodeError('dtd', 'markup declarations (<!...>) are not allowed in a SyncML message'));
  return { refusal: () => refusal, whitespace };
}

/** Parses `text` synchronously; throws SyncmlDecodeError only. */
export function parseXmlTree(text: string, limits: DecodeLimits): XmlElement {
  checkNoDtd(text);
  if (text.trim() === '') throw new SyncmlDecodeError('xml', 'malformed XML: empty message');
  const parser = new xml2js.Parser(PARSER_OPTIONS);
  const guarded = guard(parser, limits);
  let outcome: { error: unknown } | { root: ParsedNode | null } | undefined;
  try {
    parser.parseString(text, (error: unknown, root: ParsedNode | null) => {
      outcome ??= error ? { error } : { root };
    });
  } catch (error) {
    outcome ??= { error };
  }
  const refused = guarded.refusal();
  if (refused) throw refused;
  if (outcome === undefined) throw new SyncmlDecodeError('xml', 'malformed XML: the document is incomplete');
  if ('error' in outcome) throw new SyncmlDecodeError('xml', describeSaxError(outcome.error));
  if (!outcome.root) throw new SyncmlDecodeError('xml', 'malformed XML: no root element');
  return toElement(outcome.root, guarded.whitespace, { next: 0 });
}

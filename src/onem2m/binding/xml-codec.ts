/**
 * oneM2M XML serialization (TS-0004 §8.4 style): the root element is the content's root key
 * (`<m2m:nod rn="...">`), `rn` is an XML attribute of a resource element, every other attribute a child
 * element; lists of simple values are space-separated text, complex values nested elements, lists of
 * complex values repeated elements. The attribute dictionary types the text, so XML requests reach the
 * dispatcher in the same JSON shape as JSON requests.
 */
import xml2js from 'xml2js';
import { attributeInfo, type AttributeInfo, type AttributeKind } from '../../core/attribute-dictionary.js';
import { RSC } from '../../core/rsc.js';
import { RequestError } from '../../core/request-error.js';
import { MAX_CONTENT_DEPTH, checkContent, type Content } from './content-shape.js';

export type AttributeLookup = (short: string) => AttributeInfo | undefined;

// m2m: TS-0004 §8.4. dcfg (TS-0022 device configuration specializations, e.g. `dcfg:mnwk`): the same base
// with the prefix appended, as oneM2M does for its other domain namespaces (homedomain); not checked against the XSD.
const NAMESPACES: Readonly<Record<string, string>> = {
  m2m: 'http://www.onem2m.org/xml/protocols',
  dcfg: 'http://www.onem2m.org/xml/protocols/dcfg',
};
// Keys that cannot be XML names, so they never collide with an element called `_` or `$`.
const ATTRIBUTES = '@attributes';
const TEXT = '#text';

interface XmlNode {
  [ATTRIBUTES]?: Record<string, string>;
  [TEXT]?: string;
  [child: string]: XmlNode[] | Record<string, string> | string | undefined;
}

const PARSER_OPTIONS: xml2js.ParserOptions = {
  strict: true,
  async: false,
  explicitRoot: true,
  explicitArray: true,
  explicitCharkey: true,
  attrkey: ATTRIBUTES,
  charkey: TEXT,
  emptyTag: () => ({}),
  includeWhiteChars: false,
  trim: false,
  normalize: false,
  xmlns: false,
};

function bad(message: string): RequestError {
  return new RequestError(RSC.BAD_REQUEST, message);
}

/** xml2js stores children as properties: a name that exists on Object.prototype would be misread. */
function checkName(name: string): void {
  if (name in Object.prototype) throw bad(`malformed XML: element or attribute name "${name}" is not allowed`);
}

function childEntries(node: XmlNode): Array<[string, XmlNode[]]> {
  return Object.entries(node).filter(([key]) => key !== ATTRIBUTES && key !== TEXT) as Array<[string, XmlNode[]]>;
}

/** Namespace declarations and xsi:* hints are markup, not resource attributes. */
function attributeEntries(node: XmlNode): Array<[string, string]> {
  return Object.entries(node[ATTRIBUTES] ?? {}).filter(([name]) => !name.startsWith('xmlns') && !name.startsWith('xsi:'));
}

function textOf(node: XmlNode): string {
  return node[TEXT] ?? '';
}

function hasStructure(node: XmlNode): boolean {
  return childEntries(node).length > 0 || attributeEntries(node).length > 0;
}

function scalar(name: string, text: string, kind: AttributeKind | undefined, itemKind?: AttributeKind): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case 'integer': {
      const value = Number(trimmed);
      if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(value)) throw bad(`<${name}>: "${text}" is not an integer`);
      return value;
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === '1') return true;
      if (trimmed === 'false' || trimmed === '0') return false;
      throw bad(`<${name}>: "${text}" is not a boolean (true or false)`);
    case 'timestamp':
    case 'anyURI':
    case 'ipv4Address':
    case 'ipv6Address':
      return trimmed;
    case 'list':
      return trimmed.split(/\s+/).filter(Boolean).map((item) => scalar(name, item, itemKind));
    case 'object':
      throw bad(`<${name}> must contain child elements, not text`);
    default:
      return text;
  }
}

function fieldLookup(info: AttributeInfo | undefined, lookup: AttributeLookup): AttributeLookup {
  const fields = info?.fields;
  return fields ? (short) => fields.find((field) => field.short === short) ?? lookup(short) : lookup;
}

function decodeObject(name: string, node: XmlNode, lookup: AttributeLookup, depth: number): Content {
  if (depth > MAX_CONTENT_DEPTH) throw bad(`XML nested deeper than ${MAX_CONTENT_DEPTH} levels`);
  const children = childEntries(node);
  if (children.length > 0 && textOf(node).trim() !== '') throw bad(`<${name}> mixes text and child elements`);
  const entries: Array<[string, unknown]> = [];
  for (const [attribute, value] of attributeEntries(node)) {
    checkName(attribute);
    const info = lookup(attribute);
    entries.push([attribute, scalar(attribute, value, info?.kind, info?.itemKind)]);
  }
  for (const [child, nodes] of children) {
    checkName(child);
    if (entries.some(([existing]) => existing === child)) throw bad(`<${name}>: "${child}" given both as XML attribute and as element`);
    entries.push([child, decodeElements(child, nodes, lookup(child), lookup, depth + 1)]);
  }
  // fromEntries defines own properties, so no name can reach a prototype.
  return Object.fromEntries(entries);
}

function decodeElement(name: string, node: XmlNode, info: AttributeInfo | undefined, lookup: AttributeLookup, depth: number): unknown {
  const kind = info?.kind;
  const structured = hasStructure(node);
  const isObject = kind === 'object' ? structured || textOf(node).trim() === '' : (kind === undefined || kind === 'any') && structured;
  if (isObject) return decodeObject(name, node, fieldLookup(info, lookup), depth);
  if (structured) throw bad(`<${name}> must be a simple value, not contain elements or attributes`);
  return scalar(name, textOf(node), kind, info?.itemKind);
}

/** One child name and all its occurrences: a list, or a single value that must not repeat. */
function decodeElements(name: string, nodes: XmlNode[], info: AttributeInfo | undefined, lookup: AttributeLookup, depth: number): unknown {
  if (info?.kind === 'list') {
    if (info.itemKind === 'object') {
      // `<ipad/>` is how an empty list of objects is written (the encoder writes [] so): no item, not one empty object.
      return nodes.filter((node) => hasStructure(node) || textOf(node).trim() !== '').map((node) => {
        if (!hasStructure(node)) throw bad(`<${name}> must contain child elements, not text`);
        return decodeObject(name, node, fieldLookup(info, lookup), depth);
      });
    }
    if (info.repeatedElements) {
      const item: AttributeInfo = { short: info.short, long: info.long, kind: info.itemKind ?? 'string' };
      return nodes.map((node) => decodeElement(name, node, item, lookup, depth));
    }
    return nodes.flatMap((node) => decodeElement(name, node, info, lookup, depth) as unknown[]);
  }
  // Repeated elements of unknown type (child resources in a notification, ...) become an array.
  if (nodes.length > 1 && info === undefined) return nodes.map((node) => decodeElement(name, node, undefined, lookup, depth));
  if (nodes.length > 1) throw bad(`<${name}> may appear only once`);
  return decodeElement(name, nodes[0], info, lookup, depth);
}

/** sax reports `reason\nLine: 0\nColumn: 8\nChar: ;` with a 0-based line. */
function parseError(err: unknown): RequestError {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.split('\n')[0].trim();
  const position = /Line: (\d+)\s+Column: (\d+)/.exec(message);
  return bad(`malformed XML: ${reason}${position ? ` at line ${Number(position[1]) + 1}, column ${position[2]}` : ''}`);
}

/** XML request content → JSON content. No DOCTYPE (so no entity can ever be declared or expanded), nothing fetched. */
export async function decodeXml(text: string, lookup: AttributeLookup = attributeInfo): Promise<Content> {
  if (/<!DOCTYPE/i.test(text)) throw bad('malformed XML: a DOCTYPE is not allowed');
  if (text.trim() === '') throw bad('malformed XML: no root element');
  let document: Record<string, XmlNode> | null;
  try {
    document = await new xml2js.Parser(PARSER_OPTIONS).parseStringPromise(text);
  } catch (err) {
    throw parseError(err);
  }
  const roots = Object.entries(document ?? {});
  if (roots.length !== 1) throw bad('malformed XML: expected exactly one root element');
  const [[rootName, root]] = roots;
  checkName(rootName);
  // An empty root (`<m2m:nod/>`) is an empty resource representation, not an empty string.
  const value = hasStructure(root) || textOf(root).trim() !== '' ? decodeElement(rootName, root, lookup(rootName), lookup, 1) : {};
  return checkContent({ [rootName]: value });
}

// Characters XML 1.0 cannot carry at all; a device string containing one is sent with U+FFFD instead.
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlText(value: unknown): string {
  return String(value).replace(NOT_XML_CHARACTER, '\uFFFD');
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

type BuilderNode = string | { [key: string]: unknown };

/**
 * JSON value → xml2js builder node: simple lists joined by spaces (or one element per item where the dictionary says
 * so), objects nested, `rn` of a resource element as XML attribute. Members are typed as decodeXml types them.
 */
function toBuilderNode(name: string, value: unknown, info: AttributeInfo | undefined, lookup: AttributeLookup): BuilderNode | BuilderNode[] {
  if (isScalar(value)) return xmlText(value);
  if (Array.isArray(value)) {
    const items = (value as unknown[]).filter((item) => item !== null && item !== undefined);
    if (items.every(isScalar)) return info?.repeatedElements ? items.map(xmlText) : items.map(xmlText).join(' ');
    return items.flatMap<BuilderNode>((item) => toBuilderNode(name, item, info, lookup));
  }
  const node: Record<string, unknown> = {};
  const isResource = name.includes(':');
  const members = fieldLookup(info, lookup);
  for (const [key, child] of Object.entries(value as Content)) {
    if (child === null || child === undefined) continue;
    if (isResource && key === 'rn' && isScalar(child)) node[ATTRIBUTES] = { rn: xmlText(child) };
    else node[key] = toBuilderNode(key, child, members(key), members);
  }
  return node;
}

const builder = new xml2js.Builder({
  attrkey: ATTRIBUTES,
  charkey: TEXT,
  headless: false,
  xmldec: { version: '1.0', encoding: 'UTF-8' },
  renderOpts: { pretty: false },
});

/** JSON content (one root key) → XML document. */
export function encodeXml(content: Content, lookup: AttributeLookup = attributeInfo): string {
  const roots = Object.entries(content);
  if (roots.length !== 1) throw new Error(`XML content needs exactly one root key, got ${roots.length}`);
  const [[rootName, value]] = roots;
  const built = toBuilderNode(rootName, value, lookup(rootName), lookup);
  if (Array.isArray(built)) throw new Error(`XML root "${rootName}" cannot be a list of objects`);
  const root: Record<string, unknown> = typeof built === 'string' ? { [TEXT]: built } : built;
  root[ATTRIBUTES] = { ...namespaceDeclarations(content), ...(root[ATTRIBUTES] as object | undefined) };
  return builder.buildObject({ [rootName]: root });
}

/** Element names (content keys) at any depth that carry a prefix: `m2m:nod` → `m2m`. */
function collectPrefixes(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectPrefixes(item, into);
  else if (!isScalar(value)) {
    for (const [key, child] of Object.entries(value as Content)) {
      if (child === null || child === undefined) continue;
      const colon = key.indexOf(':');
      if (colon > 0) into.add(key.slice(0, colon));
      collectPrefixes(child, into);
    }
  }
  return into;
}

/** `xmlns:<prefix>` for every prefix the document uses, declared on the root so each one is bound. */
function namespaceDeclarations(content: Content): Record<string, string> {
  const declarations: Record<string, string> = {};
  for (const prefix of [...collectPrefixes(content, new Set())].sort()) {
    const namespace = NAMESPACES[prefix];
    // An undeclared prefix would make the document unparsable; the caller answers 5000 instead.
    if (namespace === undefined) throw new Error(`XML content uses prefix "${prefix}" with no known namespace`);
    declarations[`xmlns:${prefix}`] = namespace;
  }
  return declarations;
}

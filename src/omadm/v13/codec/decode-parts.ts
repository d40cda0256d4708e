/** The parts commands are made of (Meta, Target/Source, Item, Cred, Chal) and the element readers they share. */
import { SyncmlDecodeError } from './decode-error.js';
import { normaliseFormat } from './formats.js';
import type { Chal, Cred, Item, Location, Meta } from './model.js';
import { BINARY_DATA_MARK, type XmlElement } from './xml-tree.js';

export function structureError(message: string): SyncmlDecodeError {
  return new SyncmlDecodeError('structure', message);
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((candidate) => candidate.name === name);
}

/** Text of an element whose value is plain text; whitespace around identifiers and codes is layout. */
export function trimmedText(element: XmlElement): string {
  return element.text.trim();
}

export function optionalText(element: XmlElement, name: string): string | undefined {
  const found = child(element, name);
  return found ? trimmedText(found) : undefined;
}

export function requiredText(element: XmlElement, name: string): string {
  const found = child(element, name);
  if (!found) throw structureError(`<${element.name}> has no <${name}>`);
  return trimmedText(found);
}

export function has(element: XmlElement, name: string): boolean {
  return element.children.some((candidate) => candidate.name === name);
}

export function nonNegativeInteger(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text)) throw structureError(`${what} "${text.slice(0, 40)}" is not a non-negative integer`);
  return Number(text);
}

function optionalInteger(element: XmlElement, name: string): number | undefined {
  const text = optionalText(element, name);
  return text === undefined ? undefined : nonNegativeInteger(text, `<${name}>`);
}

/** Meta children live in `syncml:metinf` (an xmlns on each element, on Meta, or a prefix): read by local name. */
export function decodeMeta(element: XmlElement): Meta {
  const meta: Meta = {};
  const format = optionalText(element, 'Format');
  if (format !== undefined) meta.format = normaliseFormat(format);
  const type = optionalText(element, 'Type');
  if (type !== undefined) meta.type = type;
  const mark = optionalText(element, 'Mark');
  if (mark !== undefined) meta.mark = mark;
  const size = optionalInteger(element, 'Size');
  if (size !== undefined) meta.size = size;
  const nextNonce = optionalText(element, 'NextNonce');
  if (nextNonce !== undefined) meta.nextNonce = nextNonce;
  const version = optionalText(element, 'Version');
  if (version !== undefined) meta.version = version;
  const maxMsgSize = optionalInteger(element, 'MaxMsgSize');
  if (maxMsgSize !== undefined) meta.maxMsgSize = maxMsgSize;
  const maxObjSize = optionalInteger(element, 'MaxObjSize');
  if (maxObjSize !== undefined) meta.maxObjSize = maxObjSize;
  return meta;
}

export function optionalMeta(element: XmlElement): Meta | undefined {
  const found = child(element, 'Meta');
  return found ? decodeMeta(found) : undefined;
}

export function decodeLocation(element: XmlElement): Location {
  const location: Location = { locUri: requiredText(element, 'LocURI') };
  const locName = optionalText(element, 'LocName');
  if (locName !== undefined) location.locName = locName;
  return location;
}

function optionalLocation(element: XmlElement, name: string): Location | undefined {
  const found = child(element, name);
  return found ? decodeLocation(found) : undefined;
}

/** Data keeps its text exactly, control characters included (libdmclient sent a raw NUL in a Results Data). */
export function decodeItem(element: XmlElement): Item {
  const item: Item = {};
  const target = optionalLocation(element, 'Target');
  if (target) item.target = target;
  const source = optionalLocation(element, 'Source');
  if (source) item.source = source;
  const meta = optionalMeta(element);
  if (meta) item.meta = meta;
  const data = child(element, 'Data');
  if (data) {
    if (data.children.length > 0) throw structureError('<Item><Data> carries elements: XML data must be escaped or in CDATA');
    item.data = data.text;
    if (data.attributes[BINARY_DATA_MARK] !== undefined) item.binary = true;
  }
  if (has(element, 'MoreData')) item.moreData = true;
  return item;
}

export function decodeCred(element: XmlElement): Cred {
  return { meta: optionalMeta(element) ?? {}, data: requiredText(element, 'Data') };
}

export function decodeChal(element: XmlElement): Chal {
  return { meta: optionalMeta(element) ?? {} };
}

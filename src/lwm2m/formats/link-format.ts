/**
 * CoRE Link Format (RFC 6690): `</3/0>;ver="1.1",</>;rt="oma.lwm2m";ct=110`.
 * Attributes without a value (`;obs`) parse to `true`. Optional whitespace around `,` `;` `=` is tolerated.
 */

export type LinkAttributeValue = string | true;

export interface Link {
  /** URI-Reference between `<` and `>`. */
  target: string;
  /** Attributes in wire order; a repeated name keeps the first value. */
  attributes: Record<string, LinkAttributeValue>;
}

export class LinkFormatError extends Error {}

/** ptoken characters of RFC 6690 §2 (values made only of these need no quotes). */
const PTOKEN = /^[!#$%&'()*+\-./:<=>?@[\]^_`{|}~A-Za-z0-9]+$/;
const PARMNAME = /^[A-Za-z0-9!#$&+\-.^_`|~]+\*?$/;
const WHITESPACE = /[ \t\r\n]/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  skipSpace(): void {
    while (!this.done && WHITESPACE.test(this.peek())) this.pos++;
  }

  expect(char: string): void {
    if (this.peek() !== char) throw this.error(`expected "${char}"`);
    this.pos++;
  }

  /** Reads up to (not including) the first character in `stops` or whitespace. */
  readUntil(stops: string): string {
    const start = this.pos;
    while (!this.done && !stops.includes(this.peek()) && !WHITESPACE.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  error(message: string): LinkFormatError {
    return new LinkFormatError(`link-format: ${message} at offset ${this.pos}`);
  }
}

function readTarget(cursor: Cursor): string {
  cursor.expect('<');
  const end = cursor.text.indexOf('>', cursor.pos);
  if (end < 0) throw cursor.error('unterminated "<"');
  const target = cursor.text.slice(cursor.pos, end);
  if (/[\s<"\u0000-\u001f\u007f]/.test(target)) throw cursor.error('invalid character in link target');
  cursor.pos = end + 1;
  return target;
}

function readQuoted(cursor: Cursor): string {
  cursor.expect('"');
  let value = '';
  for (;;) {
    if (cursor.done) throw cursor.error('unterminated quoted string');
    const char = cursor.text[cursor.pos++];
    if (char === '"') return value;
    if (char === '\\') {
      if (cursor.done) throw cursor.error('unterminated escape');
      value += cursor.text[cursor.pos++];
    } else {
      value += char;
    }
  }
}

function readAttribute(cursor: Cursor, attributes: Record<string, LinkAttributeValue>): void {
  const name = cursor.readUntil('=;,');
  if (!PARMNAME.test(name)) throw cursor.error(`invalid attribute name "${name}"`);
  cursor.skipSpace();
  let value: LinkAttributeValue = true;
  if (cursor.peek() === '=') {
    cursor.pos++;
    cursor.skipSpace();
    if (cursor.peek() === '"') {
      value = readQuoted(cursor);
    } else {
      value = cursor.readUntil(';,');
      if (!PTOKEN.test(value)) throw cursor.error(`invalid value for attribute "${name}"`);
    }
  }
  if (!Object.hasOwn(attributes, name)) attributes[name] = value;
}

/** Parses a link-format document; an empty (or blank) document is an empty list. Throws LinkFormatError. */
export function parseLinkFormat(text: string): Link[] {
  const cursor = new Cursor(text);
  const links: Link[] = [];
  cursor.skipSpace();
  if (cursor.done) return links;
  for (;;) {
    cursor.skipSpace();
    const target = readTarget(cursor);
    const attributes: Record<string, LinkAttributeValue> = Object.create(null);
    cursor.skipSpace();
    while (cursor.peek() === ';') {
      cursor.pos++;
      cursor.skipSpace();
      readAttribute(cursor, attributes);
      cursor.skipSpace();
    }
    links.push({ target, attributes: { ...attributes } });
    if (cursor.done) return links;
    cursor.expect(',');
  }
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Attributes conventionally written quoted even when a ptoken would do. */
const ALWAYS_QUOTED = new Set(['rt', 'if', 'title', 'anchor', 'rel', 'rev']);

export function serializeLinkFormat(links: readonly Link[]): string {
  return links
    .map((link) => {
      let out = `<${link.target}>`;
      for (const [name, value] of Object.entries(link.attributes)) {
        if (value === true) out += `;${name}`;
        else out += `;${name}=${ALWAYS_QUOTED.has(name) || !PTOKEN.test(value) ? quote(value) : value}`;
      }
      return out;
    })
    .join(',');
}

function words(value: LinkAttributeValue | undefined): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

/** `rt` values (space-separated list). */
export function resourceTypes(link: Link): string[] {
  return words(link.attributes.rt);
}

/** `ct` values (one number or a quoted space-separated list); throws LinkFormatError on a non-number. */
export function contentFormats(link: Link): number[] {
  return words(link.attributes.ct).map((word) => {
    if (!/^\d{1,5}$/.test(word) || Number(word) > 65535) throw new LinkFormatError(`link-format: invalid ct "${word}"`);
    return Number(word);
  });
}

/** `ver` (object version `major.minor`), undefined when absent; throws LinkFormatError when malformed. */
export function objectVersion(link: Link): string | undefined {
  const value = link.attributes.ver;
  if (value === undefined) return undefined;
  if (value === true || !/^\d{1,3}\.\d{1,3}$/.test(value)) throw new LinkFormatError(`link-format: invalid ver on <${link.target}>`);
  return value;
}
